package io.distillery.auditor.agreement;

/**
 * A confidence interval.
 *
 * @param lower the lower bound
 * @param upper the upper bound, never below {@code lower}
 */
public record Interval(double lower, double upper) {

  public Interval {
    if (!(lower <= upper)) {
      throw new IllegalArgumentException(
          "an interval needs lower <= upper: " + lower + ", " + upper);
    }
  }

  /** Whether {@code value} lies inside, bounds included. */
  public boolean contains(double value) {
    return lower <= value && value <= upper;
  }
}
