package io.distillery.trainer;

import java.time.Instant;

/**
 * What the trainer is doing, for {@code GET /api/trainer} and the log.
 *
 * @param state {@code CATCHING_UP}, {@code WAITING} (for labels or the gate), {@code TRAINING}
 * @param detail why it waits, or what it trains
 * @param version the version in training; 0 when none
 * @param epoch the last finished epoch of it
 * @param epochs epochs of the run
 * @param loss mean loss of the last finished epoch
 * @param examplesPerSecond training speed in the last finished epoch
 * @param since when this state began
 */
public record TrainingStatus(
    String state,
    String detail,
    long version,
    int epoch,
    int epochs,
    double loss,
    double examplesPerSecond,
    Instant since) {

  static TrainingStatus of(String state, String detail) {
    return new TrainingStatus(state, detail, 0, 0, 0, 0, 0, Instant.now());
  }
}
