package io.distillery.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.students.HashedFeaturizer;
import io.distillery.students.HashedLinearKind;
import io.distillery.students.HashedLinearStudent;
import io.distillery.students.LabeledExample;
import io.distillery.students.ModelStore;
import io.distillery.students.StudentKinds;
import io.distillery.students.TrainingProgress;
import io.distillery.students.TrainingSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudentTrainerTest {

  private static final String TASK = "sentiment";
  private static final List<String> LABELS = List.of("negative", "positive");
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  // A small featurizer and a small set keep each training well under a second.
  private static final TrainingSettings SETTINGS =
      new TrainingSettings(new HashedFeaturizer(1 << 10, true), 30, 2, 0.1f, 1e-6f, true, 7);
  private static final List<LabeledExample> TRAINING =
      List.of(
          new LabeledExample("a wonderful, moving film", "positive"),
          new LabeledExample("great acting and a great story", "positive"),
          new LabeledExample("I loved every minute of it", "positive"),
          new LabeledExample("brilliant and beautiful", "positive"),
          new LabeledExample("a wonderful cast", "positive"),
          new LabeledExample("dull, boring and far too long", "negative"),
          new LabeledExample("a terrible waste of time", "negative"),
          new LabeledExample("awful and ugly", "negative"));

  @TempDir Path dir;

  private StudentTrainer trainer() {
    return new StudentTrainer(
        TASK,
        LABELS,
        new HashedLinearKind(SETTINGS),
        new ModelStore(dir),
        StudentKinds.builtIn(),
        7,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private ModelVersion train(long version, List<LabeledExample> evaluation) throws Exception {
    return trainer()
        .train(
            version,
            "prompt-1",
            TRAINING,
            Evaluation.uncorrected(evaluation),
            Optional.empty(),
            TrainingProgress.NONE)
        .challenger();
  }

  @Test
  void shouldStoreTheArtifactAndDescribeItAsACandidateModelVersion() throws Exception {
    var model = train(3, List.of(new LabeledExample("wonderful and great", "positive")));

    // One directory per attempt, named for the version and the (fixed) clock.
    var artifact = dir.resolve(TASK).resolve("v3-" + NOW.toEpochMilli());
    assertThat(Path.of(URI.create(model.getArtifactUri())).toAbsolutePath())
        .isEqualTo(artifact.toAbsolutePath());
    assertThat(model.getArtifactSha256())
        .isEqualTo(ModelStore.sha256(artifact.resolve(ModelStore.MANIFEST)));
    assertThat(
            ModelStore.load(artifact, model.getArtifactSha256(), StudentKinds.builtIn()).labels())
        .isEqualTo(LABELS);
    assertThat(model.getName()).isEqualTo(TASK);
    assertThat(model.getVersion()).isEqualTo(3);
    assertThat(model.getKind()).isEqualTo(HashedLinearStudent.KIND);
    assertThat(model.getStatus()).isEqualTo(ModelStatus.CANDIDATE);
    assertThat(model.getLabels()).isEqualTo(LABELS);
    assertThat(model.getFeaturizer()).isEqualTo(SETTINGS.featurizer().settings());
    assertThat(model.getPromptVersion()).isEqualTo("prompt-1");
    assertThat(model.getTrainingSize()).isEqualTo(8);
    assertThat(model.getLabelMix()).isEqualTo(Map.of("positive", 5L, "negative", 3L));
    assertThat(model.getSeed()).isEqualTo(7);
    assertThat(model.getCreatedAt()).isEqualTo(NOW);
  }

  @Test
  void shouldMeasureTheStudentOnTheHumanLabelledEvaluationSet() throws Exception {
    // The student gets the two obvious texts right; on the third the person disagrees with the
    // obvious reading.
    var evaluation =
        List.of(
            new LabeledExample("wonderful and great", "positive"),
            new LabeledExample("terrible and boring", "negative"),
            new LabeledExample("great and wonderful", "negative"));

    var model = train(1, evaluation);

    var student =
        ModelStore.load(
            URI.create(model.getArtifactUri()), model.getArtifactSha256(), StudentKinds.builtIn());
    assertThat(evaluation)
        .extracting(e -> student.predict(e.text()).label())
        .containsExactly("positive", "negative", "positive");
    var metrics = model.getMetrics();
    assertThat(metrics)
        .containsOnlyKeys(
            "eval_size",
            "final_loss",
            "examples_per_second",
            "accuracy",
            "macro_f1",
            "precision.positive",
            "recall.positive",
            "f1.positive",
            "support.positive",
            "precision.negative",
            "recall.negative",
            "f1.negative",
            "support.negative");
    // positive: predicted 3 times, right twice; people said it once.
    assertThat(metrics.get("precision.positive")).isCloseTo(0.5, within(1e-12));
    assertThat(metrics.get("recall.positive")).isEqualTo(1.0);
    assertThat(metrics.get("support.negative")).isEqualTo(2.0);
    assertThat(metrics.get("eval_size")).isEqualTo(3.0);
    // 2 of 3 right; F1(positive) = 2*1 / (2*1 + 1 + 0) = 2/3, F1(negative) = 2*1 / (2*1 + 0 + 1) =
    // 2/3.
    assertThat(metrics.get("accuracy")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(metrics.get("macro_f1")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(metrics.get("final_loss")).isFinite().isNotNegative();
  }

  @Test
  void shouldReportOnlySizeAndLossWithoutAnEvaluationSet() throws Exception {
    var model = train(1, List.of());

    assertThat(model.getMetrics())
        .containsOnlyKeys("eval_size", "final_loss", "examples_per_second");
    assertThat(model.getMetrics().get("eval_size")).isEqualTo(0.0);
  }

  @Test
  void shouldMeasureTheChampionOnTheSameHumanSet() throws Exception {
    var evaluation =
        List.of(
            new LabeledExample("wonderful and great", "positive"),
            new LabeledExample("terrible and boring", "negative"));
    var champion = train(1, evaluation);

    var result =
        trainer()
            .train(
                2,
                "prompt-1",
                TRAINING,
                Evaluation.uncorrected(evaluation),
                Optional.of(champion),
                TrainingProgress.NONE);

    assertThat(result.challengerF1()).isEqualTo(1.0);
    assertThat(result.championF1()).isEqualTo(1.0);
    assertThat(result.noComparison()).isNull();
  }

  @Test
  void shouldSayWhyItCouldNotCompareWithAChampionItCannotLoad() throws Exception {
    var champion = train(1, List.of());
    champion.setArtifactSha256("00".repeat(32));

    var result =
        trainer()
            .train(
                2,
                "prompt-1",
                TRAINING,
                Evaluation.uncorrected(List.of(new LabeledExample("wonderful", "positive"))),
                Optional.of(champion),
                TrainingProgress.NONE);

    assertThat(result.championF1()).isNull();
    assertThat(result.noComparison()).contains("champion could not be loaded").contains("sha256");
  }

  @Test
  void shouldGiveTheSameMetricsForTheSameDataAndSeed(@TempDir Path other) throws Exception {
    var evaluation =
        List.of(
            new LabeledExample("wonderful and great", "positive"),
            new LabeledExample("terrible and boring", "negative"),
            new LabeledExample("great and wonderful", "negative"));
    var first = train(1, evaluation);
    var second =
        new StudentTrainer(
                TASK,
                LABELS,
                new HashedLinearKind(SETTINGS),
                new ModelStore(other),
                StudentKinds.builtIn(),
                7,
                Clock.fixed(NOW, ZoneOffset.UTC))
            .train(
                1,
                "prompt-1",
                TRAINING,
                Evaluation.uncorrected(evaluation),
                Optional.empty(),
                TrainingProgress.NONE)
            .challenger();

    var metrics = new java.util.HashMap<>(first.getMetrics());
    var again = new java.util.HashMap<>(second.getMetrics());
    // Speed is the one measure that varies from run to run.
    metrics.remove("examples_per_second");
    again.remove("examples_per_second");
    assertThat(again).isEqualTo(metrics);
  }

  @Test
  void shouldServeTheStudentCorrectedForTheTeachersErrorsAndReportBothScores() throws Exception {
    var evaluation =
        List.of(
            new LabeledExample("wonderful and great", "positive"),
            new LabeledExample("terrible and boring", "negative"));
    var correction =
        io.distillery.students.TeacherCorrection.of(
            LABELS,
            Map.of(
                "positive", Map.of("positive", 40L),
                "negative", Map.of("negative", 50L, "positive", 10L)));

    var model =
        trainer()
            .train(
                1,
                "prompt-1",
                TRAINING,
                new Evaluation(
                    evaluation, java.util.Arrays.asList("positive", null), Optional.of(correction)),
                Optional.empty(),
                TrainingProgress.NONE)
            .challenger();

    assertThat(model.getMetrics())
        .containsEntry("teacher_correction_reviews", 100.0)
        .containsKey("macro_f1_uncorrected")
        .containsKey("macro_f1");
    var served =
        ModelStore.load(
            URI.create(model.getArtifactUri()), model.getArtifactSha256(), StudentKinds.builtIn());
    assertThat(served).isInstanceOf(io.distillery.students.CorrectedStudent.class);
    assertThat(((io.distillery.students.CorrectedStudent) served).correction().counts())
        .isEqualTo(correction.counts());
  }
}
