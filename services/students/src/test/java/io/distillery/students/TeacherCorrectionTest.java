package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherCorrectionTest {

  private static final List<String> LABELS = List.of("agrees", "not_agrees");
  // The climate teacher's errors on 250 reviews, roughly: a quarter of "not agrees" called
  // "agrees", few the other way.
  private static final Map<String, Map<String, Long>> OVER_CALLS_AGREES =
      Map.of(
          "agrees", Map.of("agrees", 88L, "not_agrees", 6L),
          "not_agrees", Map.of("agrees", 41L, "not_agrees", 115L));

  @Test
  void shouldGivePeoplesLabelGivenTheTeachersAddOneSmoothed() {
    var c = TeacherCorrection.of(LABELS, OVER_CALLS_AGREES);

    assertThat(c.pairs()).isEqualTo(250);
    // (88 + 1) / (88 + 41 + 2) and (41 + 1) / (88 + 41 + 2): a column per teacher label.
    assertThat(c.probability("agrees", "agrees")).isCloseTo(89.0 / 131, within(1e-12));
    assertThat(c.probability("not_agrees", "agrees")).isCloseTo(42.0 / 131, within(1e-12));
    assertThat(c.probability("agrees", "not_agrees")).isCloseTo(7.0 / 123, within(1e-12));
    assertThat(c.probability("not_agrees", "not_agrees")).isCloseTo(116.0 / 123, within(1e-12));
  }

  @Test
  void shouldAskForMoreEvidenceOfTheLabelTheTeacherOverCalls() {
    var c = TeacherCorrection.of(LABELS, OVER_CALLS_AGREES);

    var corrected = c.apply(new Prediction(LABELS, new double[] {0.6, 0.4}));

    // 0.6 · 89/131 + 0.4 · 7/123 = 0.430: the student's "agrees" at 0.6 is people's "not agrees".
    assertThat(corrected.probabilities()[0])
        .isCloseTo(0.6 * 89 / 131 + 0.4 * 7 / 123, within(1e-12));
    assertThat(corrected.probabilities()[0] + corrected.probabilities()[1])
        .isCloseTo(1, within(1e-12));
    assertThat(corrected.label()).isEqualTo("not_agrees");
    // A confident "agrees" stays one.
    assertThat(c.apply(new Prediction(LABELS, new double[] {0.95, 0.05})).label())
        .isEqualTo("agrees");
  }

  @Test
  void shouldLeaveTheAnswersOfAStudentOfAFaultlessTeacherAsTheyWere() {
    var c =
        TeacherCorrection.of(
            LABELS,
            Map.of("agrees", Map.of("agrees", 500L), "not_agrees", Map.of("not_agrees", 500L)));

    for (double p = 0.02; p < 1; p += 0.05) {
      var before = new Prediction(LABELS, new double[] {p, 1 - p});
      assertThat(c.apply(before).label()).isEqualTo(before.label());
    }
  }

  @Test
  void shouldCountOneReviewLessForLeaveOneOut() {
    var c = TeacherCorrection.of(LABELS, OVER_CALLS_AGREES);

    var less = c.without("not_agrees", "agrees");

    assertThat(less.pairs()).isEqualTo(249);
    assertThat(less.counts().get("not_agrees").get("agrees")).isEqualTo(40);
    assertThat(c.counts().get("not_agrees").get("agrees")).isEqualTo(41);
    assertThatThrownBy(() -> TeacherCorrection.of(LABELS, Map.of()).without("agrees", "agrees"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no reviewed text");
  }

  @Test
  void shouldRefuseCountsOfOtherLabelsOrBelowZero() {
    assertThatThrownBy(() -> TeacherCorrection.of(LABELS, Map.of("maybe", Map.of("agrees", 1L))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'maybe' is not one of");
    assertThatThrownBy(() -> TeacherCorrection.of(LABELS, Map.of("agrees", Map.of("agrees", -1L))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void shouldSaveTheCorrectionInTheHashedManifestAndLoadTheStudentCorrected(@TempDir Path dir)
      throws IOException {
    var settings =
        new TrainingSettings(new HashedFeaturizer(1 << 10, true), 30, 2, 0.1f, 1e-6f, true, 7);
    var student =
        HashedLinearTrainer.train(
                List.of(
                    new LabeledExample("global warming is real and serious", "agrees"),
                    new LabeledExample("climate change threatens us all", "agrees"),
                    new LabeledExample("global warming is a hoax", "not_agrees"),
                    new LabeledExample("the climate has always changed", "not_agrees")),
                LABELS,
                settings,
                TrainingProgress.NONE)
            .student();
    var corrected = new CorrectedStudent(student, TeacherCorrection.of(LABELS, OVER_CALLS_AGREES));

    var stored =
        new ModelStore(dir).save("stance", 1, new HashedLinearKind(settings), corrected, 0);
    var loaded = ModelStore.load(stored.uri(), stored.sha256(), StudentKinds.builtIn());

    assertThat(stored.manifest().correction()).isEqualTo(corrected.correction().counts());
    assertThat(loaded).isInstanceOf(CorrectedStudent.class);
    for (var text : List.of("warming is serious", "a hoax", "nothing in common")) {
      assertThat(loaded.predict(text).probabilities())
          .containsExactly(corrected.predict(text).probabilities(), within(1e-9));
    }
    // The counts are under the manifest's hash: changed, the artifact is refused.
    var manifest = Path.of(stored.uri()).resolve(ModelStore.MANIFEST);
    Files.writeString(manifest, Files.readString(manifest).replace("115", "15"));
    assertThatThrownBy(() -> ModelStore.load(stored.uri(), stored.sha256(), StudentKinds.builtIn()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("sha256");
    // A student without a correction has none in its manifest.
    var plain = new ModelStore(dir).save("stance", 2, new HashedLinearKind(settings), student, 0);
    assertThat(plain.manifest().correction()).isNull();
    assertThat(Files.readString(Path.of(plain.uri()).resolve(ModelStore.MANIFEST)))
        .doesNotContain("correction");
  }

  /**
   * Climate stance, where GPT-4o calls 26 % of the sentences people say do not agree "agrees":
   * students of its labels (five seeds), corrected by 250 reviews of train texts, score better
   * against people on the test split on average than the same students uncorrected, and no seed
   * worse (measured: +0.001 to +0.026, mean +0.013).
   */
  @Test
  void shouldRaiseStudentsOfAnOverCallingTeacherOnRealClimateStanceLabels() throws IOException {
    var rows =
        LabelledDataset.read(
            Path.of(
                System.getProperty("distillery.datasets", "../../../shared/datasets"),
                "global-warming-stance",
                "data.jsonl"));
    var train = rows.stream().filter(r -> r.split().equals("train")).toList();
    var test = rows.stream().filter(r -> r.split().equals("test")).toList();
    var audited = new ArrayList<>(train);
    Collections.shuffle(audited, new Random(1));
    var counts = new TreeMap<String, Map<String, Long>>();
    for (var r : audited.subList(0, 250)) {
      counts
          .computeIfAbsent(r.humanLabel(), h -> new TreeMap<>())
          .merge(r.llmLabel(), 1L, Long::sum);
    }
    var correction = TeacherCorrection.of(LABELS, counts);
    var examples = train.stream().map(r -> new LabeledExample(r.text(), r.llmLabel())).toList();

    double gains = 0;
    for (long seed : new long[] {1, 2, 3, 7, 42}) {
      var student =
          new HashedLinearKind(TrainingSettings.DEFAULT)
              .train(examples, LABELS, seed, TrainingProgress.NONE)
              .student();
      double before = macroF1(student, test);
      double after = macroF1(new CorrectedStudent(student, correction), test);
      System.out.printf(
          "hashed-linear on climate stance's LLM labels, seed %d: macro-F1 %.3f, corrected by 250"
              + " reviews %.3f%n",
          seed, before, after);
      assertThat(after).isGreaterThan(before - 0.005);
      gains += after - before;
    }
    assertThat(gains / 5).isGreaterThan(0.008);
  }

  private static double macroF1(Student student, List<LabelledDataset.Row> rows) {
    return Metrics.compare(
            LABELS,
            rows.stream().map(r -> student.predict(r.text()).label()).toList(),
            rows.stream().map(LabelledDataset.Row::humanLabel).toList())
        .macroF1();
  }
}
