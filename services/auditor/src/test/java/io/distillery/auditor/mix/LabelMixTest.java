package io.distillery.auditor.mix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillery.common.JsonSerde;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class LabelMixTest {

  private static final LocalDate DAY = LocalDate.parse("2026-03-10");
  private static final LabelMix.Monitor MONITOR = new LabelMix.Monitor(7, 100, 0.2);

  private static LabelMix add(LabelMix mix, String source, LocalDate day, String label, int n) {
    for (int i = 0; i < n; i++) {
      mix = mix.add("t", source, day, label, 7);
    }
    return mix;
  }

  @Test
  void shouldComputeThePopulationStabilityIndexByHand() {
    // live (0.5, 0.5) against reference (0.9, 0.1): (-0.4) ln(5/9) + 0.4 ln 5 = 0.878890.
    assertThat(LabelMix.psi(Map.of("a", 50L, "b", 50L), Map.of("a", 90L, "b", 10L)))
        .isCloseTo(0.878890, within(1e-6));
    assertThat(LabelMix.psi(Map.of("a", 30L, "b", 10L), Map.of("a", 300L, "b", 100L)))
        .isCloseTo(0.0, within(1e-12));
    // A label the reference never saw counts as half an item there, so the index stays finite.
    assertThat(LabelMix.psi(Map.of("a", 50L, "c", 50L), Map.of("a", 100L)))
        .isFinite()
        .isGreaterThan(1);
  }

  @Test
  void shouldAlertOnTheSourceWhoseMixMovedAndNotOnTheSteadyOne() {
    var mix = LabelMix.empty();
    for (int d = 1; d <= 3; d++) {
      mix = add(mix, "forum", DAY.minusDays(d), "hate", 20);
      mix = add(mix, "forum", DAY.minusDays(d), "none", 180);
      mix = add(mix, "news", DAY.minusDays(d), "hate", 10);
      mix = add(mix, "news", DAY.minusDays(d), "none", 190);
    }
    mix = add(mix, "forum", DAY, "hate", 100);
    mix = add(mix, "forum", DAY, "none", 100);
    mix = add(mix, "news", DAY, "hate", 10);
    mix = add(mix, "news", DAY, "none", 190);

    var shifts = mix.shifts(MONITOR);

    assertThat(shifts).containsOnlyKeys("forum", "news", LabelMix.ALL_SOURCES);
    var forum = shifts.get("forum");
    assertThat(forum.day()).isEqualTo(DAY.toString());
    assertThat(forum.live()).isEqualTo(Map.of("hate", 100L, "none", 100L));
    assertThat(forum.reference()).isEqualTo(Map.of("hate", 60L, "none", 540L));
    // live (0.5, 0.5) against (0.1, 0.9): the same index as by hand above.
    assertThat(forum.psi()).isCloseTo(0.878890, within(1e-6));
    assertThat(forum.alert()).isTrue();
    assertThat(shifts.get("news").psi()).isCloseTo(0.0, within(1e-12));
    assertThat(shifts.get("news").alert()).isFalse();
    assertThat(shifts.get(LabelMix.ALL_SOURCES).live())
        .isEqualTo(Map.of("hate", 110L, "none", 290L));
  }

  @Test
  void shouldNotJudgeAMixWithTooFewLabels() {
    var mix = add(LabelMix.empty(), "forum", DAY.minusDays(1), "none", 500);
    mix = add(mix, "forum", DAY, "hate", 99);

    var shift = mix.shifts(MONITOR).get("forum");

    assertThat(shift.psi()).isNull();
    assertThat(shift.alert()).isFalse();
  }

  @Test
  void shouldForgetDaysBeforeTheReferenceAndSurviveTheStore() {
    var mix = add(LabelMix.empty(), "forum", DAY.minusDays(30), "hate", 1);
    mix = add(mix, "forum", DAY, "none", 1);

    assertThat(mix.counts().get("forum")).containsOnlyKeys(DAY.toString());
    var serde = JsonSerde.of(LabelMix.class);
    assertThat(serde.deserializer().deserialize("s", serde.serializer().serialize("s", mix)))
        .isEqualTo(mix);
  }
}
