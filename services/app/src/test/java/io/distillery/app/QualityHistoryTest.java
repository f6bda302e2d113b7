package io.distillery.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.auditor.agreement.Agreement;
import io.distillery.auditor.agreement.Bootstrap;
import io.distillery.auditor.agreement.ReviewedLabel;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QualityHistoryTest {

  private static final Agreement.Gate GATE = new Agreement.Gate(10, 0.7, 0.0, 1000, 0.0, 0.0);
  private static final long DAY_1 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
  private static final long DAY_2 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();

  @Test
  void shouldGiveEachDaysAgreementAndTheGateAsItStoodAtThatDaysEnd() {
    var agreement = Agreement.empty();
    // Day 1: ten items, the teacher agrees with people on all. Day 2: ten more, on none.
    for (int i = 0; i < 5; i++) {
      agreement = agreement.add(item("pos", "pos", DAY_1)).add(item("neg", "neg", DAY_1));
      agreement = agreement.add(item("pos", "neg", DAY_2)).add(item("neg", "pos", DAY_2));
    }

    var history = QualityHistory.agreement(agreement, GATE, new Bootstrap(200, 7));

    assertThat(history.minMacroF1()).isEqualTo(0.7);
    assertThat(history.days())
        .extracting(QualityHistory.AgreementDay::day)
        .containsExactly("2026-03-01", "2026-03-02");
    var first = history.days().get(0);
    assertThat(first.reviewed()).isEqualTo(10);
    assertThat(first.accuracy()).isEqualTo(1.0);
    assertThat(first.macroF1()).isEqualTo(1.0);
    assertThat(first.gate()).as("ten reviewed, all agreed").isEqualTo("PASS");
    var second = history.days().get(1);
    assertThat(second.reviewed()).isEqualTo(10);
    assertThat(second.accuracy()).isZero();
    assertThat(second.accuracyInterval().lower()).isZero();
    assertThat(second.gate()).as("twenty reviewed, half agreed: macro-F1 0.5").isEqualTo("FAIL");
  }

  private static ReviewedLabel item(String teacher, String human, long decidedAt) {
    return new ReviewedLabel("sentiment", "v1", teacher, human, null, decidedAt);
  }
}
