package io.distillery.trainer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the trainer trains again: once {@code retrainEvery} teacher labels came since the last
 * training began, or, with at least one new label, once {@code retrainInterval} passed since the
 * last model. Both counts are of teacher labels received (every label the teacher gave under the
 * current prompt version, past the training window too), never of the training set: texts people
 * reviewed outside the share trained on are labels but not training texts, and a rule comparing the
 * two would find "200 new labels" forever once that many had been reviewed, and retrain back to
 * back (the 30-minute soak of 2026-12-03 trained 116 times, once a second at the end).
 *
 * <p>A training that is due still waits for its sets: at least {@code minTrainingSize} texts to
 * train on and at least {@code minEvaluationSize} human-verified texts to measure it on.
 *
 * @param retrainEvery new teacher labels between trainings
 * @param retrainInterval the longest a new label waits for a training once a model exists
 * @param minTrainingSize the fewest texts trained on
 * @param minEvaluationSize the fewest human-verified texts a model is measured on
 */
record RetrainPolicy(
    int retrainEvery, Duration retrainInterval, int minTrainingSize, int minEvaluationSize) {

  /** The policy {@code config} sets. */
  static RetrainPolicy of(TrainerConfig config) {
    return new RetrainPolicy(
        config.retrainEvery(),
        config.retrainInterval(),
        config.minTrainingSize(),
        config.minEvaluationSize());
  }

  /**
   * @param labelsNow teacher labels received now (under the current prompt version)
   * @param labelsAtLastTraining teacher labels received when the last training began (after a
   *     restart: those received less those given after the last model's training began)
   * @param lastVersion the last model version, 0 before the first
   * @param lastTrainedAt when it was made
   * @param now the time now
   */
  boolean due(
      long labelsNow,
      long labelsAtLastTraining,
      long lastVersion,
      Instant lastTrainedAt,
      Instant now) {
    long fresh = labelsNow - labelsAtLastTraining;
    return fresh >= retrainEvery
        || fresh > 0 && lastVersion > 0 && !now.isBefore(lastTrainedAt.plus(retrainInterval));
  }

  /** What a training that is not due waits for, for the trainer's status. */
  String waitingForLabels(long fresh) {
    return "waiting for " + retrainEvery + " new teacher labels (" + fresh + " so far)";
  }

  /**
   * Why a due training cannot start yet, or empty when it can.
   *
   * @param trainingSize texts the training set holds now
   * @param evaluationSize human-verified texts outside the training set
   */
  Optional<String> setsNotReady(int trainingSize, int evaluationSize) {
    if (trainingSize < minTrainingSize) {
      return Optional.of(
          "waiting for " + minTrainingSize + " texts to train on (" + trainingSize + " so far)");
    }
    if (evaluationSize < minEvaluationSize) {
      return Optional.of(
          "waiting for "
              + minEvaluationSize
              + " human-verified texts ("
              + evaluationSize
              + " so far)");
    }
    return Optional.empty();
  }
}
