package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.distillery.students.SoftTargets.Distillation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SoftTargetsTest {

  private static final List<String> LABELS = List.of("billing", "outage", "other");
  private static final float TOLERANCE = 1e-6f;

  private static LabeledExample teacherSaid(Map<String, Double> distribution) {
    return new LabeledExample("my card was charged twice", "billing", distribution);
  }

  private static double entropy(float[] p) {
    double h = 0;
    for (float x : p) {
      if (x > 0) {
        h -= x * Math.log(x);
      }
    }
    return h;
  }

  private static double sum(float[] p) {
    double s = 0;
    for (float x : p) {
      s += x;
    }
    return s;
  }

  @Test
  void shouldGiveOneHotForHardDistillationEvenWithADistribution() {
    var example = teacherSaid(Map.of("billing", 0.6, "outage", 0.3, "other", 0.1));

    assertThat(SoftTargets.of(example, LABELS, Distillation.HARD, 2.0)).containsExactly(1f, 0f, 0f);
  }

  @Test
  void shouldGiveOneHotForSoftDistillationWithoutADistribution() {
    var example = new LabeledExample("the site is down", "outage");

    assertThat(SoftTargets.of(example, LABELS, Distillation.SOFT, 1.0)).containsExactly(0f, 1f, 0f);
  }

  @Test
  void shouldKeepAFullDistributionAsGivenAtTemperatureOne() {
    var example = teacherSaid(Map.of("billing", 0.6, "outage", 0.3, "other", 0.1));

    assertThat(SoftTargets.of(example, LABELS, Distillation.SOFT, 1.0))
        .containsExactly(new float[] {0.6f, 0.3f, 0.1f}, within(TOLERANCE));
  }

  @Test
  void shouldShareTheMassAPartialDistributionLeavesEvenlyAmongTheOtherLabels() {
    var example = teacherSaid(Map.of("billing", 0.7));

    assertThat(SoftTargets.of(example, LABELS, Distillation.SOFT, 1.0))
        .containsExactly(new float[] {0.7f, 0.15f, 0.15f}, within(TOLERANCE));
  }

  @Test
  void shouldFlattenTheDistributionAboveTemperatureOne() {
    var example = teacherSaid(Map.of("billing", 0.7, "outage", 0.2, "other", 0.1));
    var asGiven = SoftTargets.of(example, LABELS, Distillation.SOFT, 1.0);

    var flattened = SoftTargets.of(example, LABELS, Distillation.SOFT, 2.0);

    assertThat(entropy(flattened)).isGreaterThan(entropy(asGiven));
    assertThat(flattened[0]).isLessThan(asGiven[0]);
    assertThat(sum(flattened)).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void shouldSharpenTheDistributionBelowTemperatureOne() {
    var example = teacherSaid(Map.of("billing", 0.7, "outage", 0.2, "other", 0.1));
    var asGiven = SoftTargets.of(example, LABELS, Distillation.SOFT, 1.0);

    var sharpened = SoftTargets.of(example, LABELS, Distillation.SOFT, 0.5);

    assertThat(entropy(sharpened)).isLessThan(entropy(asGiven));
    assertThat(sharpened[0]).isGreaterThan(asGiven[0]);
    assertThat(sum(sharpened)).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void shouldApplyTheTemperatureAsPowerOneOverTRenormalised() {
    var example = teacherSaid(Map.of("billing", 0.64, "outage", 0.36));

    // sqrt gives 0.8, 0.6 and 0 for the unnamed label, renormalised by 1.4
    assertThat(SoftTargets.of(example, LABELS, Distillation.SOFT, 2.0))
        .containsExactly(new float[] {0.8f / 1.4f, 0.6f / 1.4f, 0f}, within(TOLERANCE));
  }

  @Test
  void shouldRenormaliseADistributionThatDoesNotSumToOne() {
    var example = teacherSaid(Map.of("billing", 0.4, "outage", 0.2, "other", 0.2));

    assertThat(SoftTargets.of(example, LABELS, Distillation.SOFT, 1.0))
        .containsExactly(new float[] {0.5f, 0.25f, 0.25f}, within(TOLERANCE));
  }

  @Test
  void shouldRefuseALabelOutsideTheLabelSet() {
    var example = new LabeledExample("hello", "greeting");

    assertThatThrownBy(() -> SoftTargets.of(example, LABELS, Distillation.HARD, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("greeting");
  }

  @Test
  void shouldRefuseADistributionNamingAnUnknownLabel() {
    var example = teacherSaid(Map.of("billing", 0.6, "refund", 0.4));

    assertThatThrownBy(() -> SoftTargets.of(example, LABELS, Distillation.SOFT, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refund");
  }

  @Test
  void shouldRefuseADistributionHoldingNoMass() {
    var example = teacherSaid(Map.of("billing", 0.0, "outage", 0.0, "other", 0.0));

    assertThatThrownBy(() -> SoftTargets.of(example, LABELS, Distillation.SOFT, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no mass");
  }

  @ParameterizedTest(name = "temperature {0}")
  @ValueSource(doubles = {0.0, -1.0, Double.NaN})
  void shouldRefuseATemperatureThatIsNotPositive(double temperature) {
    var example = teacherSaid(Map.of("billing", 0.7));

    assertThatThrownBy(() -> SoftTargets.of(example, LABELS, Distillation.SOFT, temperature))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature");
  }

  @Test
  void shouldStateTheConfidenceOnTheLabelOnly() {
    assertThat(SoftTargets.fromConfidence("billing", 0.7)).isEqualTo(Map.of("billing", 0.7));
    assertThat(SoftTargets.fromConfidence("billing", 1.0)).isEqualTo(Map.of("billing", 1.0));
  }

  @Test
  void shouldGiveNoDistributionWithoutAUsableConfidence() {
    assertThat(SoftTargets.fromConfidence("billing", null)).isNull();
    assertThat(SoftTargets.fromConfidence("billing", 0.0)).isNull();
    assertThat(SoftTargets.fromConfidence("billing", -0.2)).isNull();
    assertThat(SoftTargets.fromConfidence("billing", 1.2)).isNull();
    assertThat(SoftTargets.fromConfidence("billing", Double.NaN)).isNull();
  }

  @Test
  void shouldTurnAStatedConfidenceIntoTheTargetOfSoftDistillation() {
    var example = teacherSaid(SoftTargets.fromConfidence("billing", 0.7));

    assertThat(SoftTargets.of(example, LABELS, Distillation.SOFT, 1.0))
        .containsExactly(new float[] {0.7f, 0.15f, 0.15f}, within(TOLERANCE));
  }

  @Test
  void shouldReadTheDistillationSetting() {
    assertThat(Distillation.fromSetting("soft")).isEqualTo(Distillation.SOFT);
    assertThat(Distillation.fromSetting("hard")).isEqualTo(Distillation.HARD);
    assertThat(Distillation.SOFT.settingName()).isEqualTo("soft");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"medium", "SOFT", ""})
  void shouldRefuseAnyOtherDistillationSetting(String value) {
    assertThatThrownBy(() -> Distillation.fromSetting(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + value + "'");
  }
}
