package io.distillery.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.schema.LabeledText;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.TeacherIdentity;
import io.distillery.students.LabeledExample;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrainingDataTest {

  private static final String CURRENT = "prompt-current";
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private final TrainingData data = new TrainingData(CURRENT);

  private static LabeledText teacher(String id, String promptVersion, String label) {
    return LabeledText.newBuilder()
        .setId(id)
        .setText("text of " + id)
        .setTask("sentiment")
        .setLabel(label)
        .setTeacher(
            TeacherIdentity.newBuilder()
                .setKind("replay")
                .setModel("label")
                .setPromptVersion(promptVersion)
                .build())
        .setLabeledAt(AT)
        .build();
  }

  private static ReviewVerdict human(String id, String label) {
    return ReviewVerdict.newBuilder()
        .setId(id)
        .setTask("sentiment")
        .setLabel(label)
        .setReviewer("ann")
        .setDecidedAt(AT)
        .build();
  }

  private static ReviewVerdict skip(String id) {
    return ReviewVerdict.newBuilder()
        .setId(id)
        .setTask("sentiment")
        .setLabel(null)
        .setSkipped(true)
        .setReviewer("ann")
        .setDecidedAt(AT)
        .build();
  }

  @Test
  void shouldEvaluateOnHumanVerifiedTextsAndNeverTrainOnThem() {
    data.add(teacher("t1", CURRENT, "positive"));
    data.add(teacher("t2", CURRENT, "negative"));
    data.add(human("t1", "negative"));

    assertThat(data.trainingSet()).containsExactly(new LabeledExample("text of t2", "negative"));
    // The human label, not the teacher's: evaluation measures the student against people.
    assertThat(data.evaluationSet()).containsExactly(new LabeledExample("text of t1", "negative"));
  }

  @Test
  void shouldKeepAHumanVerifiedTextOutOfTrainingWhateverOrderTheTopicsAreReadIn() {
    data.add(human("t1", "positive"));
    data.add(teacher("t1", CURRENT, "positive"));

    assertThat(data.trainingSet()).isEmpty();
    assertThat(data.evaluationSet()).containsExactly(new LabeledExample("text of t1", "positive"));
  }

  @Test
  void shouldLeaveAHumanLabelOutOfEvaluationUntilItsTextIsKnown() {
    data.add(human("t1", "positive"));

    assertThat(data.evaluationSet()).isEmpty();
  }

  @Test
  void shouldIgnoreTeacherLabelsFromAnotherPromptVersion() {
    data.add(teacher("t1", "prompt-old", "positive"));
    data.add(teacher("t2", CURRENT, "negative"));
    data.add(teacher("t2", "prompt-old", "positive"));
    data.add(human("t1", "positive"));

    assertThat(data.trainingSet()).containsExactly(new LabeledExample("text of t2", "negative"));
    assertThat(data.teacherLabelCount()).isEqualTo(1);
    // t1's text is only known through an old-prompt label, so it cannot be evaluated on either.
    assertThat(data.evaluationSet()).isEmpty();
  }

  @Test
  void shouldTrainOnTheLatestTeacherLabelPerText() {
    data.add(teacher("t1", CURRENT, "positive"));
    data.add(teacher("t1", CURRENT, "negative"));

    assertThat(data.trainingSet()).containsExactly(new LabeledExample("text of t1", "negative"));
    assertThat(data.teacherLabelCount()).isEqualTo(1);
  }

  @Test
  void shouldAddNothingForASkipAndWithdrawAnEarlierAnswerLikeTheAuditor() {
    data.add(teacher("t1", CURRENT, "positive"));
    data.add(teacher("t2", CURRENT, "negative"));
    data.add(teacher("t3", CURRENT, "negative"));
    data.add(human("t2", "positive"));
    data.add(human("t3", "negative"));

    data.add(skip("t1"));
    data.add(skip("t2"));

    assertThat(data.trainingSet())
        .containsExactly(
            new LabeledExample("text of t1", "positive"),
            new LabeledExample("text of t2", "negative"));
    assertThat(data.evaluationSet()).containsExactly(new LabeledExample("text of t3", "negative"));
  }

  @Test
  void shouldListBothSetsInIdOrderSoTrainingIsRepeatable() {
    for (var id : new String[] {"t3", "t1", "t2"}) {
      data.add(teacher(id, CURRENT, "positive"));
    }

    assertThat(data.trainingSet())
        .extracting(LabeledExample::text)
        .containsExactly("text of t1", "text of t2", "text of t3");
  }

  @Test
  void shouldTrainOnPeoplesLabelsForAFixedShareWhenAskedAndEvaluateOnTheRest() {
    var data = new TrainingData(CURRENT, 0.5);
    for (int i = 0; i < 200; i++) {
      data.add(teacher("t" + i, CURRENT, "yes"));
      data.add(human("t" + i, "no"));
    }

    var trained = data.trainingSet();
    var evaluated = data.evaluationSet();

    // Every human-verified text is in exactly one set, with the human label; the split is by id
    // hash, so about half each, and the same on every run.
    assertThat(trained.size() + evaluated.size()).isEqualTo(200);
    assertThat(trained.size()).isBetween(70, 130);
    assertThat(trained).allSatisfy(e -> assertThat(e.label()).isEqualTo("no"));
    assertThat(evaluated).allSatisfy(e -> assertThat(e.label()).isEqualTo("no"));
    assertThat(trained).doesNotContainAnyElementsOf(evaluated);
    var again = new TrainingData(CURRENT, 0.5);
    for (int i = 0; i < 200; i++) {
      again.add(teacher("t" + i, CURRENT, "yes"));
      again.add(human("t" + i, "no"));
    }
    assertThat(again.trainingSet()).isEqualTo(trained);
  }

  private static ReviewRequest request(String id, String promptVersion) {
    return ReviewRequest.newBuilder()
        .setId(id)
        .setText("text of " + id)
        .setTask("sentiment")
        .setPromptVersion(promptVersion)
        .setReason(io.distillery.schema.SampleReason.UNIFORM)
        .setRequestedAt(AT)
        .build();
  }

  @Test
  void shouldKeepOnlyTheNewestLabelsOfAFullWindow() {
    var data = new TrainingData(CURRENT, 0, 3);
    for (var id : new String[] {"t1", "t2", "t3", "t4"}) {
      data.add(teacher(id, CURRENT, "positive"));
    }
    data.add(teacher("t2", CURRENT, "negative")); // given again: the newest now
    data.add(teacher("t5", CURRENT, "positive"));

    assertThat(data.trainingSet())
        .containsExactly(
            new LabeledExample("text of t2", "negative"),
            new LabeledExample("text of t4", "positive"),
            new LabeledExample("text of t5", "positive"));
    assertThat(data.teacherLabelCount()).isEqualTo(3);
    assertThat(data.received()).as("every label counts, past the window").isEqualTo(6);
  }

  @Test
  void shouldNeverForgetATextPeopleLabelledWhenItsTeacherLabelLeavesTheWindow() {
    var data = new TrainingData(CURRENT, 0, 2);
    data.add(teacher("t1", CURRENT, "positive"));
    data.add(human("t1", "negative"));
    data.add(request("t2", CURRENT)); // a restart that read t2's request but not its old label
    data.add(human("t2", "positive"));
    data.add(request("t9", "prompt-old"));
    data.add(human("t9", "positive"));
    for (var id : new String[] {"t3", "t4", "t5"}) {
      data.add(teacher(id, CURRENT, "positive"));
    }

    assertThat(data.evaluationSet())
        .containsExactly(
            new LabeledExample("text of t1", "negative"),
            new LabeledExample("text of t2", "positive"));
    assertThat(data.trainingSet())
        .extracting(LabeledExample::text)
        .containsExactly("text of t4", "text of t5");
  }

  @Test
  void shouldCountTheLabelsGivenAfterAnInstant() {
    var data = new TrainingData(CURRENT, 0, 10);
    data.add(teacher("t1", CURRENT, "positive"));
    var later = teacher("t2", CURRENT, "positive");
    later.setLabeledAt(AT.plusSeconds(60));
    data.add(later);

    assertThat(data.labelledAfter(AT.plusSeconds(1))).isEqualTo(1);
    assertThat(data.labelledAfter(Instant.EPOCH)).isEqualTo(2);
  }

  @Test
  void shouldRefuseAnEmptyWindow() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new TrainingData(CURRENT, 0, 0))
        .withMessageContaining("training-window");
  }

  private static ReviewRequest request(
      String id, String promptVersion, io.distillery.schema.SampleReason reason) {
    var request = request(id, promptVersion);
    request.setReason(reason);
    return request;
  }

  @Test
  void shouldCountTheTeachersErrorsOnlyOnReviewsSampledRegardlessOfDifficulty() {
    var data = new TrainingData(CURRENT, 0, 2);
    var labels = java.util.List.of("negative", "positive");
    // t1 and t2: sampled uniformly and by label; t3 for low confidence; t4 with no request.
    data.add(teacher("t1", CURRENT, "positive"));
    data.add(request("t1", CURRENT, io.distillery.schema.SampleReason.UNIFORM));
    data.add(teacher("t2", CURRENT, "positive"));
    data.add(request("t2", CURRENT, io.distillery.schema.SampleReason.STRATIFIED));
    data.add(teacher("t3", CURRENT, "positive"));
    data.add(request("t3", CURRENT, io.distillery.schema.SampleReason.LOW_CONFIDENCE));
    data.add(teacher("t4", CURRENT, "negative"));
    // The verdicts come after t1's and t2's labels have left the two-label window.
    data.add(human("t1", "negative"));
    data.add(human("t2", "positive"));
    data.add(human("t3", "negative"));
    data.add(human("t4", "negative"));

    var evaluation = data.evaluation(labels, true, 2);

    assertThat(evaluation.correction()).isPresent();
    assertThat(evaluation.correction().get().counts())
        .isEqualTo(
            java.util.Map.of(
                "negative", java.util.Map.of("positive", 1L),
                "positive", java.util.Map.of("positive", 1L)));
    assertThat(evaluation.examples())
        .extracting(LabeledExample::text)
        .containsExactly("text of t1", "text of t2", "text of t3", "text of t4");
    assertThat(evaluation.countedTeacherLabels())
        .containsExactly("positive", "positive", null, null);
    // Too few counted reviews, or the correction turned off: none.
    assertThat(data.evaluation(labels, true, 3).correction()).isEmpty();
    assertThat(data.evaluation(labels, false, 0).correction()).isEmpty();
    assertThat(data.evaluation(labels, false, 0).examples()).isEqualTo(data.evaluationSet());
  }
}
