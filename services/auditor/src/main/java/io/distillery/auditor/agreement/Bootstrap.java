package io.distillery.auditor.agreement;

import io.distillery.auditor.AuditorConfig;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap over the reviewed items: each resample draws as many items as were reviewed,
 * with replacement, from the confusion matrix's cells in proportion to their counts, and is scored
 * like the real matrix; the 2.5th and 97.5th percentiles of the resampled scores bound the 95 %
 * interval. The items are drawn from a generator seeded with {@link #seed} over the cells in label
 * order, so one matrix always gives the same intervals: a published report can be reproduced.
 *
 * @param resamples how many resamples
 * @param seed the seed of the generator
 */
public record Bootstrap(int resamples, long seed) {

  private static final double LOWER = 0.025;
  private static final double UPPER = 0.975;

  public Bootstrap {
    if (resamples < 1) {
      throw new IllegalArgumentException(
          "distillery.auditor.bootstrap-resamples must be at least 1, got " + resamples);
    }
  }

  /** The settings in {@code config}. */
  public static Bootstrap of(AuditorConfig config) {
    return new Bootstrap(config.bootstrapResamples(), config.bootstrapSeed());
  }

  /** The intervals of accuracy, macro-F1 and kappa; null for an empty matrix. */
  Agreement.Intervals intervals(ConfusionMatrix matrix) {
    if (matrix.total() == 0) {
      return null;
    }
    int k = matrix.labels().size();
    // One entry per reviewed item, naming its cell (human * k + teacher): a draw is one array read.
    var items = new int[Math.toIntExact(matrix.total())];
    int filled = 0;
    for (int human = 0; human < k; human++) {
      for (int teacher = 0; teacher < k; teacher++) {
        int end = filled + (int) matrix.count(human, teacher);
        Arrays.fill(items, filled, end, human * k + teacher);
        filled = end;
      }
    }
    var random = new SplittableRandom(seed);
    var accuracy = new double[resamples];
    var macroF1 = new double[resamples];
    var kappa = new double[resamples];
    var resample = new long[k * k];
    for (int r = 0; r < resamples; r++) {
      Arrays.fill(resample, 0);
      for (int drawn = 0; drawn < items.length; drawn++) {
        resample[items[random.nextInt(items.length)]]++;
      }
      var scores = ConfusionMatrix.score(resample, k);
      accuracy[r] = scores.accuracy();
      macroF1[r] = scores.macroF1();
      kappa[r] = scores.kappa();
    }
    return new Agreement.Intervals(interval(accuracy), interval(macroF1), interval(kappa));
  }

  private static Interval interval(double[] values) {
    Arrays.sort(values);
    return new Interval(quantile(values, LOWER), quantile(values, UPPER));
  }

  /** The {@code p} quantile of sorted values, interpolated between neighbours (Hyndman-Fan 7). */
  private static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int below = (int) Math.floor(h);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
  }
}
