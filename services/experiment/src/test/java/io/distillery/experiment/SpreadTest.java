package io.distillery.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

  @Test
  void shouldGiveTheMeanAndItsStudentTInterval() {
    var spread = Spread.of(List.of(0.5, 0.6, 0.7));

    assertThat(spread.n()).isEqualTo(3);
    assertThat(spread.mean()).isCloseTo(0.6, within(1e-12));
    assertThat(spread.sd()).isCloseTo(0.1, within(1e-12));
    // 0.6 ± t(0.975, 2) · 0.1 / √3 = 0.6 ± 4.303 · 0.057735.
    assertThat(spread.lower()).isCloseTo(0.6 - 4.303 * 0.1 / Math.sqrt(3), within(1e-9));
    assertThat(spread.upper()).isCloseTo(0.6 + 4.303 * 0.1 / Math.sqrt(3), within(1e-9));
    assertThat(spread.hasInterval()).isTrue();
  }

  @Test
  void shouldGiveNoIntervalForOneRun() {
    var spread = Spread.of(List.of(0.42));

    assertThat(spread.mean()).isEqualTo(0.42);
    assertThat(spread.lower()).isEqualTo(0.42);
    assertThat(spread.upper()).isEqualTo(0.42);
    assertThat(spread.hasInterval()).isFalse();
  }

  @Test
  void shouldApproachTheNormalQuantileBeyondTheTable() {
    assertThat(Spread.t975(4)).isEqualTo(2.776);
    assertThat(Spread.t975(40)).isCloseTo(2.021, within(0.002));
    assertThat(Spread.t975(120)).isCloseTo(1.980, within(0.002));
  }

  @Test
  void shouldRefuseNoValues() {
    assertThatThrownBy(() -> Spread.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
