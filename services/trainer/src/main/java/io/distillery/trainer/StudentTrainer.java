package io.distillery.trainer;

import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.students.HashedFeaturizer;
import io.distillery.students.HashedLinearStudent;
import io.distillery.students.HashedLinearTrainer;
import io.distillery.students.LabeledExample;
import io.distillery.students.Metrics;
import io.distillery.students.ModelArtifacts;
import io.distillery.students.TrainingSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * One distillation: train a student on teacher labels, evaluate it on human labels, store the
 * artifact, describe it as a {@link ModelVersion}. Plain Java; the role around it decides when.
 */
final class StudentTrainer {

  private static final Logger LOG = Logger.getLogger(StudentTrainer.class);

  private final String task;
  private final List<String> labels;
  private final Path modelsDir;
  private final TrainingSettings settings;
  private final Clock clock;

  StudentTrainer(
      String task, List<String> labels, Path modelsDir, TrainingSettings settings, Clock clock) {
    this.task = task;
    this.labels = List.copyOf(labels);
    this.modelsDir = modelsDir;
    this.settings = settings;
    this.clock = clock;
  }

  /** Trains version {@code version} on {@code training}, evaluated on {@code evaluation}. */
  ModelVersion train(
      long version,
      String promptVersion,
      List<LabeledExample> training,
      List<LabeledExample> evaluation)
      throws IOException {
    LOG.infof(
        "training %s v%d on %d teacher labels (prompt version %s)",
        task, Long.valueOf(version), Integer.valueOf(training.size()), promptVersion);
    var result =
        HashedLinearTrainer.train(
            training,
            labels,
            settings,
            epoch ->
                LOG.infof(
                    "training %s v%d: epoch %d/%d",
                    task,
                    Long.valueOf(version),
                    Integer.valueOf(epoch),
                    Integer.valueOf(settings.epochs())));
    var metrics = new HashMap<String, Double>();
    metrics.put("eval_size", (double) evaluation.size());
    metrics.put("final_loss", result.finalLoss());
    if (!evaluation.isEmpty()) {
      var predicted =
          evaluation.stream().map(e -> result.student().predict(e.text()).label()).toList();
      var summary =
          Metrics.compare(
              labels, predicted, evaluation.stream().map(LabeledExample::label).toList());
      metrics.put("accuracy", summary.accuracy());
      metrics.put("macro_f1", summary.macroF1());
    }
    // One file per attempt: a retried version must never overwrite an artifact already published
    // with its sha256.
    var file = modelsDir.resolve(task).resolve("v" + version + "-" + clock.millis() + ".zip");
    var sha = ModelArtifacts.save(result.student(), file);
    var mix = new TreeMap<String, Long>();
    training.forEach(e -> mix.merge(e.label(), 1L, Long::sum));
    LOG.infof(
        "trained %s v%d in %d ms on %s (%s): %s",
        task,
        Long.valueOf(version),
        Long.valueOf(result.trainingMillis()),
        result.device(),
        result.deviceReason(),
        metrics);
    return ModelVersion.newBuilder()
        .setName(task)
        .setVersion(version)
        .setKind(HashedLinearStudent.KIND)
        // Champion/challenger comes with the full trainer; the thin trainer promotes every model it
        // finishes.
        .setStatus(ModelStatus.PROMOTED)
        .setStatusReason("newest model")
        .setArtifactUri(file.toAbsolutePath().toUri().toString())
        .setArtifactSha256(sha)
        .setLabels(labels)
        .setFeaturizer(featurizerSettings(settings.featurizer()))
        .setPromptVersion(promptVersion)
        .setTrainingSize(training.size())
        .setLabelMix(mix)
        .setMetrics(metrics)
        .setDevice(result.device() + " (" + result.deviceReason() + ")")
        .setTrainingMillis(result.trainingMillis())
        .setSeed(settings.seed())
        .setCreatedAt(clock.instant())
        .build();
  }

  private static java.util.Map<String, String> featurizerSettings(HashedFeaturizer featurizer) {
    return new HashMap<>(featurizer.settings());
  }
}
