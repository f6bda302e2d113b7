package io.distillery.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of the trainer role ({@code DISTILLERY_TRAINER_...} in the environment). */
@ConfigMapping(prefix = "distillery.trainer")
public interface TrainerConfig {

  /** Train again once this many new teacher labels arrived since the last model. */
  @WithDefault("200")
  int retrainEvery();

  /** Never train on fewer labelled texts than this. */
  @WithDefault("100")
  int minTrainingSize();

  /**
   * Wait for at least this many human-verified texts before training, so every model is measured
   * against people. 0 trains without them (the model then carries no human-set metrics).
   */
  @WithDefault("0")
  int minEvaluationSize();

  /**
   * Train only on labels whose prompt version the auditor's gate says PASS (DESIGN: nothing is
   * distilled from a teacher that failed the human check). {@code false} overrides it for
   * experiments and demos, and every training then says so in the log.
   */
  @WithDefault("true")
  boolean requireGatePass();

  /** Where artifacts are written; defaults to {@code <state-dir>/models}. */
  Optional<String> modelsDir();

  /** Passes over the training set. */
  @WithDefault("8")
  int epochs();

  /** Seed of training, recorded on each model version. */
  @WithDefault("42")
  long seed();
}
