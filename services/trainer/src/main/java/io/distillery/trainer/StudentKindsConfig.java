package io.distillery.trainer;

import io.distillery.students.HashedFeaturizer;
import io.distillery.students.HashedLinearKind;
import io.distillery.students.StudentKind;
import io.distillery.students.TrainingSettings;

/** The student kind the trainer's config asks for, with its training settings. */
final class StudentKindsConfig {

  private StudentKindsConfig() {}

  /**
   * @throws IllegalArgumentException for an unknown kind, naming the known ones
   */
  static StudentKind kind(TrainerConfig config) {
    return switch (config.student()) {
      case "hashed-linear" ->
          new HashedLinearKind(
              new TrainingSettings(
                  new HashedFeaturizer(config.buckets(), config.bigrams()),
                  config.epochs(),
                  config.batchSize(),
                  config.learningRate(),
                  TrainingSettings.DEFAULT.weightDecay(),
                  config.classWeights(),
                  config.seed()));
      default ->
          throw new IllegalArgumentException(
              "distillery.trainer.student: unknown kind '"
                  + config.student()
                  + "'; known: hashed-linear");
    };
  }
}
