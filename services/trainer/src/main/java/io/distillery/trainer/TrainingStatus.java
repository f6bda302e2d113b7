package io.distillery.trainer;

import java.time.Instant;

/**
 * What the trainer is doing, for {@code GET /api/trainer} and the log.
 *
 * @param state what it is doing
 * @param detail why it waits, or what it trains
 * @param version the version in training; 0 when none
 * @param epoch the last finished epoch of it
 * @param epochs epochs of the run
 * @param loss mean loss of the last finished epoch
 * @param examplesPerSecond training speed in the last finished epoch
 * @param since when this state began
 */
public record TrainingStatus(
    State state,
    String detail,
    long version,
    int epoch,
    int epochs,
    double loss,
    double examplesPerSecond,
    Instant since) {

  /** What the trainer is doing. */
  public enum State {
    /** Reading the topics after a start; nothing is trained before it caught up. */
    CATCHING_UP,
    /** Waiting for labels, for the gate or after a failed training. */
    WAITING,
    /** A training runs. */
    TRAINING
  }

  static TrainingStatus of(State state, String detail) {
    return new TrainingStatus(state, detail, 0, 0, 0, 0, 0, Instant.now());
  }
}
