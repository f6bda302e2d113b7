package io.distillery.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.students.HashedFeaturizer;
import io.distillery.students.HashedLinearStudent;
import io.distillery.students.LabeledExample;
import io.distillery.students.ModelArtifacts;
import io.distillery.students.TrainingSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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

  private ModelVersion train(long version, List<LabeledExample> evaluation) throws Exception {
    var trainer = new StudentTrainer(TASK, LABELS, dir, SETTINGS, Clock.fixed(NOW, ZoneOffset.UTC));
    return trainer.train(version, "prompt-1", TRAINING, evaluation);
  }

  @Test
  void shouldStoreTheArtifactAndDescribeItAsAPromotedModelVersion() throws Exception {
    var model = train(3, List.of(new LabeledExample("wonderful and great", "positive")));

    // One file per attempt, named for the version and the (fixed) clock.
    var file = dir.resolve(TASK).resolve("v3-" + NOW.toEpochMilli() + ".zip");
    assertThat(Path.of(URI.create(model.getArtifactUri()))).isEqualTo(file.toAbsolutePath());
    assertThat(model.getArtifactSha256()).isEqualTo(ModelArtifacts.sha256(file));
    assertThat(ModelArtifacts.load(file, model.getArtifactSha256()).labels()).isEqualTo(LABELS);
    assertThat(model.getName()).isEqualTo(TASK);
    assertThat(model.getVersion()).isEqualTo(3);
    assertThat(model.getKind()).isEqualTo(HashedLinearStudent.KIND);
    assertThat(model.getStatus()).isEqualTo(ModelStatus.PROMOTED);
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
        ModelArtifacts.load(Path.of(URI.create(model.getArtifactUri())), model.getArtifactSha256());
    assertThat(evaluation)
        .extracting(e -> student.predict(e.text()).label())
        .containsExactly("positive", "negative", "positive");
    var metrics = model.getMetrics();
    assertThat(metrics).containsOnlyKeys("eval_size", "final_loss", "accuracy", "macro_f1");
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

    assertThat(model.getMetrics()).containsOnlyKeys("eval_size", "final_loss");
    assertThat(model.getMetrics().get("eval_size")).isEqualTo(0.0);
    assertThat(model.getArtifactSha256())
        .isEqualTo(ModelArtifacts.sha256(Path.of(URI.create(model.getArtifactUri()))));
  }
}
