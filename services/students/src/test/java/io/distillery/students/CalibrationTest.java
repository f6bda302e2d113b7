package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  /**
   * Texts whose true probability of label 0 is {@code sigmoid(z)}, labels drawn from it: the
   * calibrated logits are {@code (z, 0)}; a classifier that says {@code (scale · z, 0)} is
   * overconfident by {@code scale}.
   */
  private static double[][][] drawn(int n, double scale, long seed, float[][] targets) {
    var random = new Random(seed);
    var logits = new double[n][];
    for (int i = 0; i < n; i++) {
      double z = random.nextGaussian() * 2;
      boolean first = random.nextDouble() < 1 / (1 + Math.exp(-z));
      logits[i] = new double[] {scale * z, 0};
      targets[i] = first ? new float[] {1, 0} : new float[] {0, 1};
    }
    return new double[][][] {logits};
  }

  @Test
  void shouldFindTheOverconfidenceOfAClassifierAndUndoIt() {
    var targets = new float[20_000][];
    var logits = drawn(20_000, 5, 7, targets)[0];

    double t = Calibration.temperature(logits, targets);

    assertThat(t).isCloseTo(5, within(0.35));
    assertThat(Calibration.loss(logits, targets, t))
        .isLessThan(Calibration.loss(logits, targets, 1) - 0.1);
  }

  @Test
  void shouldSharpenAnUnderconfidentClassifierAndLeaveACalibratedOneAlone() {
    var targets = new float[20_000][];
    var under = drawn(20_000, 0.5, 8, targets)[0];
    assertThat(Calibration.temperature(under, targets)).isCloseTo(0.5, within(0.05));

    var calibrated = drawn(20_000, 1, 9, targets)[0];
    assertThat(Calibration.temperature(calibrated, targets)).isCloseTo(1, within(0.07));
  }

  @Test
  void shouldTakeSoftTargetsAndRefuseRowsThatDoNotMatch() {
    // A distribution of 0.8 / 0.2 everywhere is matched by logits (ln 4, 0): T = 1 for (ln 4, 0),
    // T = 2 for (2 ln 4, 0).
    var targets = new float[][] {{0.8f, 0.2f}, {0.8f, 0.2f}};
    var logits = new double[][] {{2 * Math.log(4), 0}, {2 * Math.log(4), 0}};
    assertThat(Calibration.temperature(logits, targets)).isCloseTo(2, within(1e-3));
    assertThat(Calibration.temperature(new double[0][], new float[0][])).isEqualTo(1);
    assertThatThrownBy(() -> Calibration.temperature(logits, new float[1][]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
