package io.distillery.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.schema.GateStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class RetrainPolicyTest {

  private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
  private final RetrainPolicy policy =
      new RetrainPolicy(200, Duration.ofMinutes(10), 100, 40, true);
  private final RetrainPolicy.LabelCounts due = new RetrainPolicy.LabelCounts(200, 0, 0, T);

  @Test
  void shouldTrainOnceEnoughNewTeacherLabelsCame() {
    assertThat(policy.due(199, 0, 0, Instant.EPOCH, T)).isFalse();
    assertThat(policy.due(200, 0, 0, Instant.EPOCH, T)).isTrue();
    assertThat(policy.due(1_399, 1_200, 3, T, T.plusSeconds(1))).isFalse();
    assertThat(policy.due(1_400, 1_200, 3, T, T.plusSeconds(1))).isTrue();
  }

  @Test
  void shouldNotRetrainWhenPeopleReviewedMoreTextsThanTheRetrainStep() {
    // 1,500 teacher labels, 400 of them reviewed by people and kept out of training.
    var data = new TrainingData("v1", 0.0);
    for (int i = 0; i < 1_500; i++) {
      data.add(label("t" + i));
      if (i < 400) {
        data.add(verdict("t" + i));
      }
    }
    var trainingSize = data.trainingSet().size();
    assertThat(trainingSize).isEqualTo(1_100);
    assertThat(data.teacherLabelCount() - trainingSize)
        .as("labels against training texts: 'due' for ever")
        .isGreaterThanOrEqualTo(200);

    // A training began at 1,500 labels: nothing is due until 200 more come.
    assertThat(policy.due(data.received(), 1_500, 4, T, T.plusSeconds(1))).isFalse();
  }

  @Test
  void shouldNotTrainOnNothingNewHoweverLongItWaits() {
    assertThat(policy.due(300, 300, 3, T, T.plus(Duration.ofDays(2))))
        .as("nothing new to train on")
        .isFalse();
  }

  @Test
  void shouldCountNewLabelsPastAFullTrainingWindow() {
    // A window of 1,000: it is full, yet every label that comes is a new one to train on.
    var data = new TrainingData("v1", 0.0, 1_000);
    for (int i = 0; i < 1_000; i++) {
      data.add(label("t" + i));
    }
    long atTraining = data.received();
    for (int i = 1_000; i < 1_200; i++) {
      data.add(label("t" + i));
    }
    assertThat(data.teacherLabelCount()).isEqualTo(1_000);
    assertThat(data.trainingSet()).hasSize(1_000);
    assertThat(policy.due(data.received(), atTraining, 1, T, T.plusSeconds(1))).isTrue();
  }

  private static io.distillery.schema.LabeledText label(String id) {
    return io.distillery.schema.LabeledText.newBuilder()
        .setId(id)
        .setText("text " + id)
        .setTask("sentiment")
        .setLabel("positive")
        .setTeacher(
            io.distillery.schema.TeacherIdentity.newBuilder()
                .setKind("replay")
                .setModel("llm_label")
                .setPromptVersion("v1")
                .build())
        .setLabeledAt(T)
        .build();
  }

  private static io.distillery.schema.ReviewVerdict verdict(String id) {
    return io.distillery.schema.ReviewVerdict.newBuilder()
        .setId(id)
        .setTask("sentiment")
        .setLabel("negative")
        .setReviewer("ann")
        .setDecidedAt(T)
        .build();
  }

  @Test
  void shouldTrainOnANewLabelOnceTheIntervalPassedButNeverOnNone() {
    assertThat(policy.due(1_201, 1_200, 3, T, T.plus(Duration.ofMinutes(9)))).isFalse();
    assertThat(policy.due(1_201, 1_200, 3, T, T.plus(Duration.ofMinutes(10)))).isTrue();
    assertThat(policy.due(1_200, 1_200, 3, T, T.plus(Duration.ofHours(5)))).isFalse();
    assertThat(policy.due(5, 0, 0, Instant.EPOCH, T))
        .as("no model yet: wait for the step")
        .isFalse();
  }

  @Test
  void shouldWaitForEnoughTextsToTrainAndToMeasureOn() {
    assertThat(policy.decide(due, T, () -> 99, () -> 40, GateStatus.PASS))
        .isEqualTo(
            new RetrainPolicy.Wait(
                RetrainPolicy.WaitingFor.TRAINING_TEXTS,
                "waiting for 100 texts to train on (99 so far)"));
    assertThat(policy.decide(due, T, () -> 300, () -> 39, GateStatus.PASS))
        .isEqualTo(
            new RetrainPolicy.Wait(
                RetrainPolicy.WaitingFor.HUMAN_VERIFIED_TEXTS,
                "waiting for 40 human-verified texts (39 so far)"));
    assertThat(policy.decide(due, T, () -> 300, () -> 40, GateStatus.PASS))
        .isEqualTo(new RetrainPolicy.Train(false));
  }

  @Test
  void shouldNotBuildTheSetsBeforeATrainingIsDue() {
    var notDue = new RetrainPolicy.LabelCounts(12, 0, 0, T);
    IntSupplier untouchable =
        () -> {
          throw new AssertionError("the sets were built for a training that is not due");
        };
    assertThat(policy.decide(notDue, T, untouchable, untouchable, GateStatus.PASS))
        .isEqualTo(
            new RetrainPolicy.Wait(
                RetrainPolicy.WaitingFor.NEW_LABELS,
                "waiting for 200 new teacher labels (12 so far)"));
  }

  @Test
  void shouldHoldADueTrainingBackUntilTheGatePassesWithoutBuildingTheSets() {
    IntSupplier untouchable =
        () -> {
          throw new AssertionError("the sets were built while the gate holds the training back");
        };
    for (var gate : List.of(GateStatus.FAIL, GateStatus.INSUFFICIENT_DATA)) {
      assertThat(policy.decide(due, T, untouchable, untouchable, gate))
          .isEqualTo(
              new RetrainPolicy.Wait(
                  RetrainPolicy.WaitingFor.GATE_PASS,
                  "the auditor's gate for the prompt version is " + gate));
    }
  }

  @Test
  void shouldTrainPastAClosedGateOnlyWhenTheOverrideIsOnAndSaySo() {
    var demo = new RetrainPolicy(200, Duration.ofMinutes(10), 100, 40, false);
    assertThat(demo.decide(due, T, () -> 300, () -> 40, GateStatus.FAIL))
        .isEqualTo(new RetrainPolicy.Train(true));
    assertThat(demo.decide(due, T, () -> 300, () -> 40, GateStatus.PASS))
        .isEqualTo(new RetrainPolicy.Train(false));
    assertThat(demo.decide(due, T, () -> 99, () -> 40, GateStatus.FAIL))
        .as("the override opens the gate, not the size rules")
        .isInstanceOf(RetrainPolicy.Wait.class);
  }
}
