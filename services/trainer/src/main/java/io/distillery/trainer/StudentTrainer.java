package io.distillery.trainer;

import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.students.LabeledExample;
import io.distillery.students.ModelStore;
import io.distillery.students.StudentKind;
import io.distillery.students.StudentKinds;
import io.distillery.students.TrainingProgress;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * One distillation: train a student of the configured kind on teacher labels, store it, and measure
 * it, and the champion, on the same human labels. Plain Java; the role around it decides when, and
 * what becomes of the challenger.
 */
final class StudentTrainer {

  /**
   * A trained challenger and what the comparison needs.
   *
   * @param challenger the model version, status {@code CANDIDATE} until decided
   * @param challengerF1 its macro-F1 on the human set; null when the set is empty
   * @param championF1 the champion's on the same set; null without a champion, a set, or when the
   *     champion cannot be loaded
   * @param noComparison why the two were not compared; null when they were
   */
  record Result(
      ModelVersion challenger, Double challengerF1, Double championF1, String noComparison) {}

  private static final Logger LOG = Logger.getLogger(StudentTrainer.class);

  private final String task;
  private final List<String> labels;
  private final StudentKind kind;
  private final ModelStore store;
  private final StudentKinds kinds;
  private final long seed;
  private final Clock clock;

  StudentTrainer(
      String task,
      List<String> labels,
      StudentKind kind,
      ModelStore store,
      StudentKinds kinds,
      long seed,
      Clock clock) {
    this.task = task;
    this.labels = List.copyOf(labels);
    this.kind = kind;
    this.store = store;
    this.kinds = kinds;
    this.seed = seed;
    this.clock = clock;
  }

  /** Trains version {@code version} on {@code training}; measures it and {@code champion}. */
  Result train(
      long version,
      String promptVersion,
      List<LabeledExample> training,
      Evaluation evaluation,
      Optional<ModelVersion> champion,
      TrainingProgress progress)
      throws IOException {
    LOG.infof(
        "training %s v%d (%s) on %d teacher labels (prompt version %s)",
        task, Long.valueOf(version), kind.name(), Integer.valueOf(training.size()), promptVersion);
    var result = kind.train(training, labels, seed, progress);
    var student = evaluation.serve(result.student());
    var metrics = new HashMap<String, Double>();
    metrics.put("eval_size", (double) evaluation.size());
    evaluation
        .correction()
        .ifPresent(c -> metrics.put("teacher_correction_reviews", (double) c.pairs()));
    metrics.put("final_loss", result.finalLoss());
    metrics.put(
        "examples_per_second", result.examples() * 1000.0 / Math.max(1, result.trainingMillis()));
    Double challengerF1 = null;
    if (!evaluation.isEmpty()) {
      var summary = evaluation.measure(student, labels);
      metrics.put("accuracy", summary.accuracy());
      metrics.put("macro_f1", summary.macroF1());
      if (evaluation.correction().isPresent()) {
        metrics.put(
            "macro_f1_uncorrected", evaluation.measureUncorrected(student, labels).macroF1());
      }
      summary
          .perClass()
          .forEach(
              (label, score) -> {
                metrics.put("precision." + label, score.precision());
                metrics.put("recall." + label, score.recall());
                metrics.put("f1." + label, score.f1());
                metrics.put("support." + label, (double) score.support());
              });
      challengerF1 = summary.macroF1();
    }
    var stored = store.save(task, version, kind, student, clock.millis());
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
    var challenger =
        ModelVersion.newBuilder()
            .setName(task)
            .setVersion(version)
            .setKind(kind.name())
            .setStatus(ModelStatus.CANDIDATE)
            .setStatusReason("trained, not yet compared")
            .setArtifactUri(stored.uri().toString())
            .setArtifactSha256(stored.sha256())
            .setLabels(labels)
            .setFeaturizer(new HashMap<>(stored.manifest().settings()))
            .setPromptVersion(promptVersion)
            .setTrainingSize(training.size())
            .setLabelMix(mix)
            .setMetrics(metrics)
            .setDevice(result.device() + " (" + result.deviceReason() + ")")
            .setTrainingMillis(result.trainingMillis())
            .setSeed(seed)
            .setCreatedAt(clock.instant())
            .build();
    if (champion.isEmpty()) {
      return new Result(challenger, challengerF1, null, "no champion");
    }
    if (evaluation.isEmpty()) {
      return new Result(challenger, null, null, "no human-verified items to compare them on");
    }
    try {
      double championF1;
      try (var championStudent =
          ModelStore.load(
              URI.create(champion.get().getArtifactUri()),
              champion.get().getArtifactSha256(),
              kinds)) {
        championF1 = evaluation.measure(championStudent, labels).macroF1();
      }
      return new Result(challenger, challengerF1, championF1, null);
    } catch (IOException | RuntimeException e) {
      LOG.warnf(
          "cannot load champion %s v%d to compare with v%d: %s",
          task, Long.valueOf(champion.get().getVersion()), Long.valueOf(version), e.toString());
      return new Result(
          challenger, challengerF1, null, "champion could not be loaded: " + e.getMessage());
    }
  }
}
