package io.distillery.students;

/**
 * Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks"): one number
 * {@code T} that divides a trained classifier's logits so that its probabilities say how often it
 * is right, fitted on held-out texts by the cross-entropy to their targets. A fine-tuned
 * transformer is overconfident (its answers are near 0 or 1 even where it errs), which hides its
 * uncertainty from the classifier's uncertain threshold and leaves {@link TeacherCorrection}
 * nothing to move; the argmax, and so every label it gives, stays as it was.
 */
public final class Calibration {

  /** The range searched, as {@code 1 / T}: from {@code T = 50} down to {@code T = 0.05}. */
  private static final double MIN_INVERSE = 0.02;

  private static final double MAX_INVERSE = 20;

  private Calibration() {}

  /**
   * The temperature that minimises the mean cross-entropy of {@code softmax(logits / T)} to {@code
   * targets}. The loss is convex in {@code 1 / T}, so a golden-section search finds its minimum.
   *
   * @param logits one row per text
   * @param targets one distribution per text (one-hot for a hard label), as long as its row
   * @return 1 when there are no texts
   */
  public static double temperature(double[][] logits, float[][] targets) {
    if (logits.length != targets.length) {
      throw new IllegalArgumentException(
          logits.length + " rows of logits for " + targets.length + " targets");
    }
    if (logits.length == 0) {
      return 1;
    }
    double phi = (Math.sqrt(5) - 1) / 2;
    double a = MIN_INVERSE;
    double b = MAX_INVERSE;
    double c = b - phi * (b - a);
    double d = a + phi * (b - a);
    double fc = loss(logits, targets, 1 / c);
    double fd = loss(logits, targets, 1 / d);
    for (int i = 0; i < 80; i++) {
      if (fc < fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - phi * (b - a);
        fc = loss(logits, targets, 1 / c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + phi * (b - a);
        fd = loss(logits, targets, 1 / d);
      }
    }
    return 2 / (a + b);
  }

  /** Mean cross-entropy of {@code softmax(logits / temperature)} to {@code targets}. */
  public static double loss(double[][] logits, float[][] targets, double temperature) {
    double sum = 0;
    for (int n = 0; n < logits.length; n++) {
      var row = logits[n];
      if (row.length != targets[n].length) {
        throw new IllegalArgumentException(
            "text " + n + " has " + row.length + " logits and " + targets[n].length + " targets");
      }
      double max = Double.NEGATIVE_INFINITY;
      for (double z : row) {
        max = Math.max(max, z / temperature);
      }
      double norm = 0;
      for (double z : row) {
        norm += Math.exp(z / temperature - max);
      }
      double logNorm = max + Math.log(norm);
      for (int k = 0; k < row.length; k++) {
        if (targets[n][k] > 0) {
          sum -= targets[n][k] * (row[k] / temperature - logNorm);
        }
      }
    }
    return logits.length == 0 ? 0 : sum / logits.length;
  }
}
