package io.distillery.auditor.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.JsonSerde;
import io.distillery.schema.GateStatus;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Agreement numbers against values worked out by hand; confusion rows are the human label, columns
 * the teacher's.
 */
public class AgreementTest {

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

  private static Agreement.Gate gate(int minReviewed, double minMacroF1, double minKappa) {
    return new Agreement.Gate(minReviewed, minMacroF1, minKappa, 10, 0.0, 0.0);
  }

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
    assertThat(empty.perClass()).isEmpty();
    assertThat(empty.intervals(new Bootstrap(100, 1))).isNull();
    assertThat(empty.gate(gate(1, 0.7, 0.4)).status()).isEqualTo(GateStatus.INSUFFICIENT_DATA);
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
  void shouldMeasureEachClassAsWorkedOutByHand() {
    var perClass = THREE_CLASSES.perClass();

    assertThat(perClass).containsOnlyKeys("neg", "neu", "pos");
    // neg: 8 agreed of 10 teacher labels and of 10 human labels.
    assertThat(perClass.get("neg")).isEqualTo(new Agreement.ClassMetrics(10, 10, 8, 0.8, 0.8, 0.8));
    // neu: 5 agreed of 8 teacher labels, of 10 human labels; F1 = 2*5 / (8 + 10) = 5/9.
    var neu = perClass.get("neu");
    assertThat(neu.support()).isEqualTo(10);
    assertThat(neu.predicted()).isEqualTo(8);
    assertThat(neu.agreed()).isEqualTo(5);
    assertThat(neu.precision()).isCloseTo(5.0 / 8, EXACT);
    assertThat(neu.recall()).isCloseTo(0.5, EXACT);
    assertThat(neu.f1()).isCloseTo(5.0 / 9, EXACT);
    // pos: 18 agreed of 22 teacher labels, of 20 human labels; F1 = 36 / 42 = 6/7.
    var pos = perClass.get("pos");
    assertThat(pos.precision()).isCloseTo(9.0 / 11, EXACT);
    assertThat(pos.recall()).isCloseTo(0.9, EXACT);
    assertThat(pos.f1()).isCloseTo(6.0 / 7, EXACT);
    // Macro-F1 is the mean of the per-class F1s.
    assertThat((neu.f1() + pos.f1() + perClass.get("neg").f1()) / 3)
        .isCloseTo(THREE_CLASSES.macroF1(), EXACT);
  }

  @Test
  void shouldGiveNoPrecisionForALabelTheTeacherNeverGave() {
    // Human always b, teacher always a.
    var agreement = new Agreement("t", "v1", Map.of("b", Map.of("a", 6L)));

    assertThat(agreement.perClass().get("a"))
        .isEqualTo(new Agreement.ClassMetrics(0, 6, 0, 0.0, null, 0.0));
    assertThat(agreement.perClass().get("b"))
        .isEqualTo(new Agreement.ClassMetrics(6, 0, 0, null, 0.0, 0.0));
  }

  @Test
  void shouldCompareTheTeachersLabelMixWithThePeoplesOnTheSameItems() {
    assertThat(THREE_CLASSES.teacherMix()).isEqualTo(Map.of("neg", 10L, "neu", 8L, "pos", 22L));
    assertThat(THREE_CLASSES.humanMix()).isEqualTo(Map.of("neg", 10L, "neu", 10L, "pos", 20L));
  }

  @Test
  void shouldBracketEveryPointEstimateWithItsBootstrapInterval() {
    for (var agreement : new Agreement[] {TWO_BY_TWO, THREE_CLASSES}) {
      var intervals = agreement.intervals(new Bootstrap(1_000, 7));

      assertThat(intervals.accuracy().contains(agreement.accuracy())).isTrue();
      assertThat(intervals.macroF1().contains(agreement.macroF1())).isTrue();
      assertThat(intervals.kappa().contains(agreement.kappa())).isTrue();
      assertThat(intervals.accuracy().lower()).isLessThan(intervals.accuracy().upper());
      assertThat(intervals.macroF1().lower()).isLessThan(intervals.macroF1().upper());
      assertThat(intervals.kappa().lower()).isLessThan(intervals.kappa().upper());
    }
  }

  @Test
  void shouldReproduceTheIntervalsFromTheSameCountsAndSeed() {
    var first = THREE_CLASSES.intervals(new Bootstrap(1_000, 7));
    // Same counts built in another order: the draws follow the label order, not the map's.
    var sameCounts = Agreement.empty();
    for (var human : List.of("pos", "neu", "neg")) {
      for (var cell : THREE_CLASSES.confusion().get(human).entrySet()) {
        for (long i = 0; i < cell.getValue(); i++) {
          sameCounts = sameCounts.add(new ReviewedLabel("t", "v1", cell.getKey(), human));
        }
      }
    }

    assertThat(sameCounts.confusion()).isEqualTo(THREE_CLASSES.confusion());
    assertThat(sameCounts.intervals(new Bootstrap(1_000, 7))).isEqualTo(first);
    assertThat(THREE_CLASSES.intervals(new Bootstrap(1_000, 8))).isNotEqualTo(first);
  }

  @Test
  void shouldBoundAccuracyAsTheNormalApproximationDoesOnManyItems() {
    // Ten times THREE_CLASSES: n = 400, accuracy 0.775, standard error sqrt(0.775 * 0.225 / 400)
    // ~ 0.0209, so the normal interval is 0.775 -+ 0.0409. The bootstrap should agree to within a
    // grid step or two (1/400 = 0.0025) plus resampling noise.
    var tenTimes = new java.util.HashMap<String, Map<String, Long>>();
    THREE_CLASSES
        .confusion()
        .forEach(
            (human, row) -> {
              var scaled = new java.util.HashMap<String, Long>();
              row.forEach((teacher, n) -> scaled.put(teacher, n * 10));
              tenTimes.put(human, scaled);
            });
    var interval = new Agreement("t", "v1", tenTimes).intervals(new Bootstrap(1_000, 7)).accuracy();

    assertThat(interval.lower()).isCloseTo(0.775 - 0.0409, within(0.01));
    assertThat(interval.upper()).isCloseTo(0.775 + 0.0409, within(0.01));
  }

  @Test
  void shouldRefuseABootstrapWithoutResamples() {
    assertThatThrownBy(() -> new Bootstrap(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bootstrap-resamples");
  }

  @Test
  void shouldUncountARetractedReviewAndDropCellsThatReachZero() {
    var item = new ReviewedLabel("t", "v1", "a", "b");
    var agreement = TWO_BY_TWO.add(item).remove(item);

    assertThat(agreement.confusion()).isEqualTo(TWO_BY_TWO.confusion());
    assertThat(Agreement.empty().add(item).remove(item).confusion()).isEmpty();
  }

  @Test
  void shouldNotLetCallersChangeTheCounts() {
    assertThatThrownBy(() -> TWO_BY_TWO.confusion().put("c", Map.of()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> TWO_BY_TWO.confusion().get("a").put("a", 0L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldStoreAsAJsonDocumentOfItsCountsAlone() throws Exception {
    var serde = JsonSerde.of(Agreement.class);

    var bytes = serde.serializer().serialize("store", THREE_CLASSES);
    var json = new ObjectMapper().readTree(bytes);

    var fields = new java.util.ArrayList<String>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactlyInAnyOrder("task", "promptVersion", "confusion", "humans", "daily");
    assertThat(serde.deserializer().deserialize("store", bytes)).isEqualTo(THREE_CLASSES);
  }

  @Test
  void shouldGateOnReviewedCountThenOnBothMacroF1AndKappa() {
    // 50 reviewed, macro-F1 23/33 ~ 0.697, kappa 0.4.
    assertThat(TWO_BY_TWO.gate(gate(51, 0.0, 0.0)).status())
        .isEqualTo(GateStatus.INSUFFICIENT_DATA);
    assertThat(TWO_BY_TWO.gate(gate(50, 0.69, 0.39)).status()).isEqualTo(GateStatus.PASS);
    assertThat(TWO_BY_TWO.gate(gate(50, 0.70, 0.39)).status()).isEqualTo(GateStatus.FAIL);
    assertThat(TWO_BY_TWO.gate(gate(50, 0.69, 0.41)).status()).isEqualTo(GateStatus.FAIL);
  }

  @Test
  void shouldSayHowManyReviewsTheGateStillNeeds() {
    var decision = TWO_BY_TWO.gate(gate(250, 0.7, 0.4));

    assertThat(decision.status()).isEqualTo(GateStatus.INSUFFICIENT_DATA);
    assertThat(decision.reason()).isEqualTo("50 reviewed, 250 needed");
  }

  @Test
  void shouldNameEveryThresholdAFailingTeacherMissed() {
    var decision = TWO_BY_TWO.gate(gate(50, 0.70, 0.41));

    assertThat(decision.status()).isEqualTo(GateStatus.FAIL);
    assertThat(decision.reason())
        .isEqualTo("macro-F1 0.697 is below 0.700; kappa 0.400 is below 0.410");
  }

  @Test
  void shouldFailAClassWhoseRecallIsBelowTheFloorOnceItHasEnoughItems() {
    // THREE_CLASSES: macro-F1 ~ 0.738 and kappa ~ 0.633 pass; recall of neu is 5/10.
    var floor = new Agreement.Gate(40, 0.7, 0.6, 10, 0.0, 0.55);
    var decision = THREE_CLASSES.gate(floor);

    assertThat(decision.status()).isEqualTo(GateStatus.FAIL);
    assertThat(decision.reason())
        .isEqualTo("recall of 'neu' 0.500 (10 human labels) is below 0.550");
    // With 11 items needed before a class is judged, neu's 10 are too few, and the rest pass.
    assertThat(THREE_CLASSES.gate(new Agreement.Gate(40, 0.7, 0.6, 11, 0.0, 0.55)).status())
        .isEqualTo(GateStatus.PASS);
  }

  @Test
  void shouldFailAClassWhosePrecisionIsBelowTheFloorOnceTheTeacherGaveItEnoughTimes() {
    // Precision of neu is 5/8, on 8 teacher labels; neg's is 0.8 and pos's 9/11.
    assertThat(THREE_CLASSES.gate(new Agreement.Gate(40, 0.7, 0.6, 8, 0.65, 0.0)).reason())
        .isEqualTo("precision of 'neu' 0.625 (8 teacher labels) is below 0.650");
    assertThat(THREE_CLASSES.gate(new Agreement.Gate(40, 0.7, 0.6, 9, 0.65, 0.0)).status())
        .isEqualTo(GateStatus.PASS);
  }

  @Test
  void shouldSayWhyATeacherPasses() {
    var decision = THREE_CLASSES.gate(new Agreement.Gate(40, 0.7, 0.6, 10, 0.3, 0.3));

    assertThat(decision.status()).isEqualTo(GateStatus.PASS);
    assertThat(decision.reason())
        .isEqualTo(
            "40 reviewed; macro-F1 0.738 >= 0.700; kappa 0.633 >= 0.600; every class with 10 or"
                + " more items has precision >= 0.300 and recall >= 0.300");
  }
}
