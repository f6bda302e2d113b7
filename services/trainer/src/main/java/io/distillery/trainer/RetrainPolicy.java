package io.distillery.trainer;

import io.distillery.schema.GateStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * When the trainer trains again: once {@code retrainEvery} teacher labels came since the last
 * training began, or, with at least one new label, once {@code retrainInterval} passed since the
 * last model. Both counts are of teacher labels received (every label the teacher gave under the
 * current prompt version, past the training window too), never of the training set: texts people
 * reviewed outside the share trained on are labels but not training texts, and a rule comparing the
 * two would find "200 new labels" forever once that many had been reviewed, and retrain back to
 * back (the 30-minute soak of 2026-12-03 trained 116 times, once a second at the end).
 *
 * <p>A training that is due still waits for the auditor's gate of the prompt version to say {@code
 * PASS}, unless {@code requireGatePass} is off (an override for experiments and demos); then for
 * its sets: at least {@code minTrainingSize} texts to train on and at least {@code
 * minEvaluationSize} human-verified texts to measure it on. {@link #decide} puts the three together
 * into one {@link Decision}.
 *
 * @param retrainEvery new teacher labels between trainings
 * @param retrainInterval the longest a new label waits for a training once a model exists
 * @param minTrainingSize the fewest texts trained on
 * @param minEvaluationSize the fewest human-verified texts a model is measured on
 * @param requireGatePass whether a gate other than {@code PASS} holds a due training back
 */
record RetrainPolicy(
    int retrainEvery,
    Duration retrainInterval,
    int minTrainingSize,
    int minEvaluationSize,
    boolean requireGatePass) {

  /** What the trainer does now: wait (and for what), or train. */
  sealed interface Decision permits Wait, Train {}

  /**
   * Not now.
   *
   * @param waitingFor what has to change first
   * @param status the trainer's status line, for {@code GET /api/trainer}
   */
  record Wait(WaitingFor waitingFor, String status) implements Decision {}

  /**
   * Train now.
   *
   * @param gateOverridden the gate is not {@code PASS} and {@code requireGatePass} is off: the
   *     trainer says so loudly
   */
  record Train(boolean gateOverridden) implements Decision {}

  /** What a waiting trainer waits for. */
  enum WaitingFor {
    /** {@code retrainEvery} new teacher labels, or the interval with at least one. */
    NEW_LABELS,
    /** {@code minTrainingSize} texts to train on. */
    TRAINING_TEXTS,
    /** {@code minEvaluationSize} human-verified texts to measure the model on. */
    HUMAN_VERIFIED_TEXTS,
    /** The auditor's gate for the prompt version to say {@code PASS}. */
    GATE_PASS
  }

  /**
   * The teacher labels a decision counts.
   *
   * @param now teacher labels received now (under the current prompt version)
   * @param atLastTraining teacher labels received when the last training began (after a restart:
   *     those received less those given after the last model's training began)
   * @param lastVersion the last model version, 0 before the first
   * @param lastTrainedAt when it was made
   */
  record LabelCounts(long now, long atLastTraining, long lastVersion, Instant lastTrainedAt) {}

  /** The policy {@code config} sets. */
  static RetrainPolicy of(TrainerConfig config) {
    return new RetrainPolicy(
        config.retrainEvery(),
        config.retrainInterval(),
        config.minTrainingSize(),
        config.minEvaluationSize(),
        config.requireGatePass());
  }

  /**
   * Whether to train now. The sets' sizes are asked for only once a training is due and the gate
   * lets it through: building the sets costs a walk over the training window, and the trainer asks
   * at every poll.
   *
   * @param labels the teacher labels counted
   * @param now the time now
   * @param trainingSize texts the training set would hold
   * @param evaluationSize human-verified texts outside it
   * @param gate the auditor's gate for the current prompt version
   */
  Decision decide(
      LabelCounts labels,
      Instant now,
      IntSupplier trainingSize,
      IntSupplier evaluationSize,
      GateStatus gate) {
    if (!due(
        labels.now(), labels.atLastTraining(), labels.lastVersion(), labels.lastTrainedAt(), now)) {
      return new Wait(
          WaitingFor.NEW_LABELS,
          "waiting for "
              + retrainEvery
              + " new teacher labels ("
              + (labels.now() - labels.atLastTraining())
              + " so far)");
    }
    // The gate before the sets: a new deployment waits for its gate with a full training window,
    // and building the sets at every poll to answer "wait" anyway is waste.
    if (gate != GateStatus.PASS && requireGatePass) {
      return new Wait(WaitingFor.GATE_PASS, "the auditor's gate for the prompt version is " + gate);
    }
    int training = trainingSize.getAsInt();
    if (training < minTrainingSize) {
      return new Wait(
          WaitingFor.TRAINING_TEXTS,
          "waiting for " + minTrainingSize + " texts to train on (" + training + " so far)");
    }
    int evaluation = evaluationSize.getAsInt();
    if (evaluation < minEvaluationSize) {
      return new Wait(
          WaitingFor.HUMAN_VERIFIED_TEXTS,
          "waiting for " + minEvaluationSize + " human-verified texts (" + evaluation + " so far)");
    }
    return new Train(gate != GateStatus.PASS);
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
}
