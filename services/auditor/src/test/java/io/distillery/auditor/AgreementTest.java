package io.distillery.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillery.schema.GateStatus;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Agreement numbers against values worked out by hand; confusion rows are the human label, columns
 * the teacher's.
 */
class AgreementTest {

  private static final Offset<Double> EXACT = within(1e-12);

  /**
   *
   *
   * <pre>
   *                teacher a  teacher b
   *   human a          20          5      (25)
   *   human b          10         15      (25)
   *                   (30)       (20)      n = 50
   * </pre>
   */
  private static final Agreement TWO_BY_TWO =
      new Agreement(
          "t", "v1", Map.of("a", Map.of("a", 20L, "b", 5L), "b", Map.of("a", 10L, "b", 15L)));

  /**
   *
   *
   * <pre>
   *                  teacher neg  teacher neu  teacher pos
   *   human neg           8            1            1       (10)
   *   human neu           2            5            3       (10)
   *   human pos           0            2           18       (20)
   *                     (10)          (8)         (22)       n = 40
   * </pre>
   */
  private static final Agreement THREE_CLASSES =
      new Agreement(
          "t",
          "v1",
          Map.of(
              "neg", Map.of("neg", 8L, "neu", 1L, "pos", 1L),
              "neu", Map.of("neg", 2L, "neu", 5L, "pos", 3L),
              "pos", Map.of("neu", 2L, "pos", 18L)));

  @Test
  void shouldMeasureTwoClassesAsWorkedOutByHand() {
    assertThat(TWO_BY_TWO.reviewed()).isEqualTo(50);
    assertThat(TWO_BY_TWO.agreed()).isEqualTo(35);
    // 35 / 50
    assertThat(TWO_BY_TWO.accuracy()).isCloseTo(0.7, EXACT);
    // F1(a) = 2*20 / (2*20 + 10 + 5) = 8/11; F1(b) = 2*15 / (2*15 + 5 + 10) = 2/3; mean = 23/33
    assertThat(TWO_BY_TWO.macroF1()).isCloseTo(23.0 / 33, EXACT);
    // chance = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    assertThat(TWO_BY_TWO.kappa()).isCloseTo(0.4, EXACT);
  }

  @Test
  void shouldMeasureThreeClassesAsWorkedOutByHand() {
    assertThat(THREE_CLASSES.reviewed()).isEqualTo(40);
    assertThat(THREE_CLASSES.agreed()).isEqualTo(31);
    // 31 / 40
    assertThat(THREE_CLASSES.accuracy()).isCloseTo(0.775, EXACT);
    // F1(neg) = 16 / (16 + 2 + 2) = 4/5; F1(neu) = 10 / (10 + 3 + 5) = 5/9; F1(pos) = 36 / (36 + 4
    // + 2) = 6/7;
    // mean = (252 + 175 + 270) / 315 / 3 = 697/945
    assertThat(THREE_CLASSES.macroF1()).isCloseTo(697.0 / 945, EXACT);
    // chance = (10*10 + 10*8 + 20*22) / 40^2 = 0.3875; kappa = (0.775 - 0.3875) / (1 - 0.3875) =
    // 31/49
    assertThat(THREE_CLASSES.kappa()).isCloseTo(31.0 / 49, EXACT);
  }

  @Test
  void shouldGiveFullKappaWhenBothRatersAlwaysSayTheSameSingleLabel() {
    // Chance agreement is 1 here, so the textbook formula is 0/0; full agreement is the honest
    // reading.
    var agreement = new Agreement("t", "v1", Map.of("a", Map.of("a", 7L)));

    assertThat(agreement.accuracy()).isEqualTo(1.0);
    assertThat(agreement.macroF1()).isEqualTo(1.0);
    assertThat(agreement.kappa()).isEqualTo(1.0);
  }

  @Test
  void shouldGiveNoKappaAboveChanceWhenRatersNeverAgree() {
    // Human always b, teacher always a: observed 0, chance 1*0 + 0*1 = 0, kappa 0; F1 is 0 for both
    // labels.
    var agreement = new Agreement("t", "v1", Map.of("b", Map.of("a", 6L)));

    assertThat(agreement.accuracy()).isEqualTo(0.0);
    assertThat(agreement.macroF1()).isEqualTo(0.0);
    assertThat(agreement.kappa()).isEqualTo(0.0);
  }

  @Test
  void shouldReportNoNumbersBeforeTheFirstReview() {
    var empty = Agreement.empty();

    assertThat(empty.reviewed()).isZero();
    assertThat(empty.accuracy()).isNull();
    assertThat(empty.macroF1()).isNull();
    assertThat(empty.kappa()).isNull();
    assertThat(empty.gate(new Agreement.Gate(1, 0.7, 0.4))).isEqualTo(GateStatus.INSUFFICIENT_DATA);
  }

  @Test
  void shouldCountReviewsIntoANewValueLeavingTheOldOneAsItWas() {
    var first = Agreement.empty().add(new ReviewedLabel("sentiment", "v1", "positive", "positive"));
    var second = first.add(new ReviewedLabel("sentiment", "v1", "positive", "negative"));

    assertThat(first.reviewed()).isEqualTo(1);
    assertThat(second.task()).isEqualTo("sentiment");
    assertThat(second.promptVersion()).isEqualTo("v1");
    assertThat(second.confusion())
        .isEqualTo(Map.of("positive", Map.of("positive", 1L), "negative", Map.of("positive", 1L)));
    assertThat(second.agreed()).isEqualTo(1);
  }

  @Test
  void shouldGateOnReviewedCountThenOnBothMacroF1AndKappa() {
    // 50 reviewed, macro-F1 23/33 ~ 0.697, kappa 0.4.
    assertThat(TWO_BY_TWO.gate(new Agreement.Gate(51, 0.0, 0.0)))
        .isEqualTo(GateStatus.INSUFFICIENT_DATA);
    assertThat(TWO_BY_TWO.gate(new Agreement.Gate(50, 0.69, 0.39))).isEqualTo(GateStatus.PASS);
    assertThat(TWO_BY_TWO.gate(new Agreement.Gate(50, 0.70, 0.39))).isEqualTo(GateStatus.FAIL);
    assertThat(TWO_BY_TWO.gate(new Agreement.Gate(50, 0.69, 0.41))).isEqualTo(GateStatus.FAIL);
  }
}
