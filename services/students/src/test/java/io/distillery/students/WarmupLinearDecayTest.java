package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WarmupLinearDecayTest {

  private static final float PEAK = 2e-5f;
  private static final float TOLERANCE = 1e-11f;

  @Test
  void shouldRiseLinearlyToThePeakAtTheEndOfWarmUp() {
    var schedule = new WarmupLinearDecay(PEAK, 10, 110);

    // Update n is Hugging Face's step n - 1: the first update runs at 0, the eleventh at the peak.
    assertThat(schedule.getNewValue(1)).isZero();
    assertThat(schedule.getNewValue(6)).isCloseTo(PEAK / 2, within(TOLERANCE));
    assertThat(schedule.getNewValue(11)).isCloseTo(PEAK, within(TOLERANCE));
    for (int step = 1; step < 11; step++) {
      assertThat(schedule.getNewValue(step)).isLessThan(schedule.getNewValue(step + 1));
    }
  }

  @Test
  void shouldDecayLinearlyToZeroAtTheLastStep() {
    var schedule = new WarmupLinearDecay(PEAK, 10, 110);

    assertThat(schedule.getNewValue(61)).isCloseTo(PEAK / 2, within(TOLERANCE));
    // The last of 110 updates still moves the weights; the one after would not.
    assertThat(schedule.getNewValue(110)).isCloseTo(PEAK / 100, within(TOLERANCE));
    assertThat(schedule.getNewValue(111)).isZero();
    for (int step = 11; step < 111; step++) {
      assertThat(schedule.getNewValue(step)).isGreaterThan(schedule.getNewValue(step + 1));
    }
  }

  @Test
  void shouldStayAtZeroAfterTheLastStep() {
    var schedule = new WarmupLinearDecay(PEAK, 10, 110);

    assertThat(schedule.getNewValue(112)).isZero();
    assertThat(schedule.getNewValue(10_000)).isZero();
  }

  @Test
  void shouldStartDecayingFromThePeakRightAwayWithoutWarmUp() {
    var schedule = new WarmupLinearDecay(PEAK, 0, 100);

    assertThat(schedule.getNewValue(1)).isCloseTo(PEAK, within(TOLERANCE));
    assertThat(schedule.getNewValue(51)).isCloseTo(PEAK / 2, within(TOLERANCE));
    assertThat(schedule.getNewValue(100)).isCloseTo(PEAK / 100, within(TOLERANCE));
    assertThat(schedule.getNewValue(101)).isZero();
  }

  @Test
  void shouldNeverExceedThePeakNorGoNegative() {
    var schedule = new WarmupLinearDecay(PEAK, 7, 50);

    for (int step = 1; step <= 60; step++) {
      assertThat(schedule.getNewValue(step)).isBetween(0f, PEAK + TOLERANCE);
    }
  }

  @ParameterizedTest(name = "peak {0}, warm-up {1}, total {2}")
  @CsvSource({
    "0, 10, 100",
    "-1e-5, 10, 100",
    "NaN, 10, 100",
    "2e-5, -1, 100",
    "2e-5, 100, 100",
    "2e-5, 101, 100",
    "2e-5, 0, 0"
  })
  void shouldRefuseInvalidArguments(float peak, int warmupSteps, int totalSteps) {
    assertThatThrownBy(() -> new WarmupLinearDecay(peak, warmupSteps, totalSteps))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
