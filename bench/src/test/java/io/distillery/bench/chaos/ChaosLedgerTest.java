package io.distillery.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.bench.chaos.ChaosLedger.DeadLetter;
import io.distillery.bench.chaos.ChaosLedger.Observed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosLedgerTest {

  private static final String RAW = "t.texts.raw";
  private static final String TEACHER = "t.texts.for-teacher";
  private static final List<String> VERDICTS = List.of("t.review.verdicts");

  private static ChaosLedger sent() {
    var ledger = new ChaosLedger();
    List.of("a", "b", "c").forEach(ledger::sentGood);
    ledger.sentPoison("poison-1");
    ledger.sentVerdict("a");
    ledger.sentVerdict("b");
    return ledger;
  }

  /** Everything accounted for once: a, b, c scored; a and b to the teacher, b dead-lettered. */
  private static Observed balanced() {
    return new Observed(
        List.of("a", "b", "c"),
        List.of("a", "b"),
        List.of("a"),
        List.of(
            new DeadLetter("poison-1", RAW, "not Avro"),
            new DeadLetter("b", TEACHER, "teacher failed 5 times")),
        2L,
        7L,
        0,
        7L);
  }

  private static Observed with(
      List<String> scored, List<DeadLetter> letters, Long reviewed, Long classifier) {
    var base = balanced();
    return new Observed(
        scored,
        base.forTeacherIds(),
        base.labeledIds(),
        letters,
        reviewed,
        base.champion(),
        base.repeatedModelRecords(),
        classifier);
  }

  private static ChaosLedger.Outcome settle(ChaosLedger ledger, Observed observed) {
    return ledger.settle(observed, RAW, TEACHER, VERDICTS);
  }

  @Test
  void shouldBalanceWhenEveryRecordIsAccountedForOnce() {
    var outcome = settle(sent(), balanced());

    assertThat(outcome.problems()).isEmpty();
    assertThat(outcome.ok()).isTrue();
    assertThat(outcome.lost()).isZero();
    assertThat(outcome.duplicated()).isZero();
    assertThat(outcome.poisonDeadLettered()).isEqualTo(1);
    assertThat(outcome.poisonSent()).isEqualTo(1);
    assertThat(outcome.verdictsCounted()).isEqualTo(2);
    assertThat(outcome.teacherIds()).isEqualTo(2);
  }

  @Test
  void shouldCountAGoodTextNeverScoredAsLost() {
    var observed = with(List.of("a", "b"), balanced().deadLetters(), 2L, 7L);

    var outcome = settle(sent(), observed);

    assertThat(outcome.lost()).isEqualTo(1);
    assertThat(outcome.problems()).anyMatch(p -> p.contains("never scored") && p.contains("c"));
  }

  @Test
  void shouldCountATextScoredTwiceAsDuplicated() {
    var observed = with(List.of("a", "b", "c", "c"), balanced().deadLetters(), 2L, 7L);

    var outcome = settle(sent(), observed);

    assertThat(outcome.duplicated()).isEqualTo(1);
    assertThat(outcome.ok()).isFalse();
  }

  @Test
  void shouldCountATeacherTextNeitherLabeledNorDeadLetteredAsLost() {
    var letters = List.of(new DeadLetter("poison-1", RAW, "not Avro"));
    var observed = with(List.of("a", "b", "c"), letters, 2L, 7L);

    var outcome = settle(sent(), observed);

    assertThat(outcome.lost()).isEqualTo(1);
    assertThat(outcome.problems()).anyMatch(p -> p.contains("neither labeled nor dead-lettered"));
  }

  @Test
  void shouldCountATeacherTextLabeledAndDeadLetteredAsDuplicated() {
    var base = balanced();
    var observed =
        new Observed(
            base.scoredIds(),
            base.forTeacherIds(),
            List.of("a", "b"),
            base.deadLetters(),
            2L,
            7L,
            0,
            7L);

    assertThat(settle(sent(), observed).duplicated()).isEqualTo(1);
  }

  @Test
  void shouldFindPoisonThatWasNotDeadLetteredOrHasNoReason() {
    var noReason =
        List.of(
            new DeadLetter("poison-1", RAW, ""), new DeadLetter("b", TEACHER, "teacher failed"));
    var outcome = settle(sent(), with(List.of("a", "b", "c"), noReason, 2L, 7L));
    assertThat(outcome.problems()).anyMatch(p -> p.contains("without a reason"));

    var missing = List.of(new DeadLetter("b", TEACHER, "teacher failed"));
    var outcome2 = settle(sent(), with(List.of("a", "b", "c"), missing, 2L, 7L));
    assertThat(outcome2.poisonDeadLettered()).isZero();
    assertThat(outcome2.problems()).anyMatch(p -> p.contains("poison records not dead-lettered"));
  }

  @Test
  void shouldRefuseVerdictsTheAuditorDidNotCountOrDeadLettered() {
    var outcome = settle(sent(), with(List.of("a", "b", "c"), balanced().deadLetters(), 1L, 7L));
    assertThat(outcome.verdictsCounted()).isEqualTo(1);
    assertThat(outcome.problems()).anyMatch(p -> p.contains("counted 1 verdicts of 2"));

    var letters = new ArrayList<>(balanced().deadLetters());
    letters.add(new DeadLetter("a", VERDICTS.get(0), "unknown id"));
    var outcome2 = settle(sent(), with(List.of("a", "b", "c"), letters, 2L, 7L));
    assertThat(outcome2.problems()).anyMatch(p -> p.contains("verdicts dead-lettered"));
  }

  @Test
  void shouldRefuseAClassifierThatDoesNotFollowTheChampion() {
    var outcome = settle(sent(), with(List.of("a", "b", "c"), balanced().deadLetters(), 2L, 6L));

    assertThat(outcome.problems())
        .containsExactly("the classifier scores with version 6, the champion is 7");
  }

  @Test
  void shouldRefuseRepeatedModelRecordsAndAMissingChampion() {
    var base = balanced();
    var repeated =
        new Observed(
            base.scoredIds(),
            base.forTeacherIds(),
            base.labeledIds(),
            base.deadLetters(),
            2L,
            null,
            2,
            null);

    var outcome = settle(sent(), repeated);

    assertThat(outcome.duplicated()).isEqualTo(2);
    assertThat(outcome.problems())
        .contains("2 model records repeat an earlier one", "the models topic has no champion");
  }
}
