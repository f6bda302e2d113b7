package io.distillery.students;

import ai.djl.training.tracker.Tracker;

/**
 * The learning-rate schedule BERT fine-tuning uses (Devlin et al. 2019; Hugging Face's {@code
 * get_linear_schedule_with_warmup}): linear from 0 to the peak over the warm-up steps, then linear
 * down to 0 at the last step. DJL's {@code WarmUpTracker} warms up into another tracker but has no
 * decay that ends at a given step, so this small pure function is ours.
 *
 * @param peak the learning rate at the end of the warm-up
 * @param warmupSteps steps of warm-up, at least 0
 * @param totalSteps steps of the whole run, more than the warm-up
 */
public record WarmupLinearDecay(float peak, int warmupSteps, int totalSteps) implements Tracker {

  public WarmupLinearDecay {
    if (!(peak > 0) || warmupSteps < 0 || totalSteps <= warmupSteps) {
      throw new IllegalArgumentException(
          "need a positive peak and 0 <= warm-up < total steps, got "
              + peak
              + ", "
              + warmupSteps
              + ", "
              + totalSteps);
    }
  }

  /**
   * The rate for the {@code numUpdate}-th update, counted from 1 as DJL's optimizers count them:
   * Hugging Face's schedule at step {@code numUpdate - 1}, so without warm-up the first update runs
   * at the peak, and the last of {@code totalSteps} updates above 0.
   */
  @Override
  public float getNewValue(int numUpdate) {
    int step = numUpdate - 1;
    if (step < warmupSteps) {
      return peak * step / warmupSteps;
    }
    double left = (double) (totalSteps - step) / (totalSteps - warmupSteps);
    return (float) (peak * Math.max(0, left));
  }
}
