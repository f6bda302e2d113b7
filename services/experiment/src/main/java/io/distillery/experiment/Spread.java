package io.distillery.experiment;

import java.util.List;

/**
 * The spread of one number over repeated runs (seeds): the mean and a 95 % interval of the mean
 * from Student's t distribution, mean ± t(0.975, n − 1) · sd / √n. It says how much a result moves
 * with the training seed (initialisation, shuffling, which labels are flipped or kept), not how it
 * would move on another test set; that is the bootstrap's job.
 *
 * @param n runs
 * @param mean their mean
 * @param sd their sample standard deviation; 0 with one run
 * @param lower lower bound of the 95 % interval of the mean; the mean itself with one run
 * @param upper upper bound, likewise
 */
public record Spread(int n, double mean, double sd, double lower, double upper) {

  /** t(0.975, df) for df = 1 … 30. */
  private static final double[] T975 = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042
  };

  public Spread {
    if (n < 1) {
      throw new IllegalArgumentException("a spread needs at least one value");
    }
  }

  /** The spread of {@code values}; one value gives a zero-width interval. */
  public static Spread of(List<Double> values) {
    int n = values.size();
    if (n == 0) {
      throw new IllegalArgumentException("a spread needs at least one value");
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
    if (n == 1) {
      return new Spread(1, mean, 0, mean, mean);
    }
    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    double sd = Math.sqrt(squares / (n - 1));
    double half = t975(n - 1) * sd / Math.sqrt(n);
    return new Spread(n, mean, sd, mean - half, mean + half);
  }

  /**
   * The 97.5th percentile of Student's t with {@code df} degrees of freedom: from the table up to
   * 30, beyond it the normal quantile with its first Cornish-Fisher correction (within 0.002).
   */
  static double t975(int df) {
    if (df < 1) {
      throw new IllegalArgumentException("degrees of freedom must be positive, got " + df);
    }
    if (df <= T975.length) {
      return T975[df - 1];
    }
    double z = 1.959964;
    return z + (z * z * z + z) / (4.0 * df);
  }

  /** Whether the interval has any width: more than one run that did not all agree. */
  public boolean hasInterval() {
    return upper > lower;
  }
}
