package io.distillery.students;

/** Told after every epoch of a training run. */
@FunctionalInterface
public interface TrainingProgress {

  /** Tells nobody. */
  TrainingProgress NONE = (epoch, epochs, loss, examplesPerSecond) -> {};

  /**
   * @param epoch the epoch just finished, from 1
   * @param epochs epochs in the run
   * @param loss mean training loss of the epoch
   * @param examplesPerSecond training examples per second in the epoch
   */
  void epoch(int epoch, int epochs, double loss, double examplesPerSecond);
}
