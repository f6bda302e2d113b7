package io.distillery.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreTest {

  /**
   * People: a a a b b c; scored side: a a b b c c. Per label (tp, fp, fn): a (2, 0, 1), b (1, 1,
   * 1), c (1, 1, 0). Observed agreement 4/6; chance agreement (3·2 + 2·2 + 1·2) / 36 = 1/3.
   */
  private static final List<String> PEOPLE = List.of("a", "a", "a", "b", "b", "c");

  private static final List<String> SCORED = List.of("a", "a", "b", "b", "c", "c");

  @Test
  void shouldMatchHandComputedAccuracyMacroF1AndKappa() {
    var score = Score.of(PEOPLE, SCORED);

    assertThat(score.size()).isEqualTo(6);
    assertThat(score.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
    // F1: a 2·2/(2·2+0+1) = 0.8, b 2/(2+1+1) = 0.5, c 2/(2+1+0) = 2/3.
    assertThat(score.macroF1()).isCloseTo((0.8 + 0.5 + 2.0 / 3) / 3, within(1e-12));
    // (4/6 − 1/3) / (1 − 1/3).
    assertThat(score.kappa()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void shouldMatchHandComputedPrecisionAndRecallPerClassAndMacro() {
    var score = Score.of(PEOPLE, SCORED);

    assertThat(score.perClass()).containsOnlyKeys("a", "b", "c");
    var a = score.perClass().get("a");
    assertThat(a.support()).isEqualTo(3);
    assertThat(a.predicted()).isEqualTo(2);
    assertThat(a.precision()).isCloseTo(1.0, within(1e-12));
    assertThat(a.recall()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(a.f1()).isCloseTo(0.8, within(1e-12));
    var c = score.perClass().get("c");
    assertThat(c.precision()).isCloseTo(0.5, within(1e-12));
    assertThat(c.recall()).isCloseTo(1.0, within(1e-12));
    assertThat(score.macroPrecision()).isCloseTo((1 + 0.5 + 0.5) / 3, within(1e-12));
    assertThat(score.macroRecall()).isCloseTo((2.0 / 3 + 0.5 + 1) / 3, within(1e-12));
  }

  @Test
  void shouldCountALabelNeverGivenAsZeroPrecisionInTheMacroMean() {
    var score = Score.of(List.of("a", "b"), List.of("a", "a"));

    assertThat(score.perClass().get("b").precision()).isNull();
    assertThat(score.perClass().get("b").recall()).isEqualTo(0.0);
    assertThat(score.macroPrecision()).isCloseTo((0.5 + 0) / 2, within(1e-12));
    assertThat(score.macroRecall()).isCloseTo((1 + 0) / 2.0, within(1e-12));
    assertThat(score.macroF1()).isCloseTo((2.0 / 3 + 0) / 2, within(1e-12));
  }

  @Test
  void shouldRefuseListsOfDifferentLengthsOrNone() {
    assertThatThrownBy(() -> Score.of(List.of("a"), List.of("a", "b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("differ in size");
    assertThatThrownBy(() -> Score.of(List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
