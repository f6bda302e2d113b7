package io.distillery.trainer;

import java.time.Duration;
import java.time.Instant;

/**
 * When the trainer trains again: once {@code retrainEvery} teacher labels came since the last
 * training began, or, with at least one new label, once {@code retrainInterval} passed since the
 * last model. Both counts are of teacher labels kept (every text the teacher labeled under the
 * current prompt version), never of the training set: texts people reviewed outside the share
 * trained on are labels but not training texts, and a rule comparing the two would find "200 new
 * labels" forever once that many had been reviewed, and retrain back to back (the 30-minute soak of
 * 2026-12-03 trained 116 times, once a second at the end).
 *
 * @param retrainEvery new teacher labels between trainings
 * @param retrainInterval the longest a new label waits for a training once a model exists
 */
record RetrainPolicy(int retrainEvery, Duration retrainInterval) {

  /**
   * @param labelsNow teacher labels kept now
   * @param labelsAtLastTraining teacher labels kept when the last training began (or, after a
   *     restart, the last model's training size, which can only make one training come early)
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
}
