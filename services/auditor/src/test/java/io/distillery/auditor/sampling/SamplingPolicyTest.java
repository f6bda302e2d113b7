package io.distillery.auditor.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillery.auditor.TestAuditorConfig;
import io.distillery.schema.SampleReason;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

public class SamplingPolicyTest {

  private static final SamplingPolicy.Counts NONE = new SamplingPolicy.Counts(1_000_000, 0, 0);

  /** Only uniform sampling at {@code rate}. */
  private static SamplingPolicy uniform(double rate) {
    return new SamplingPolicy(rate, 0, 0, 0, 0, 0, 0, 0);
  }

  private static SamplingPolicy.Candidate candidate(String id) {
    return new SamplingPolicy.Candidate(id, "a", 0.99, null);
  }

  private static Set<String> sampled(SamplingPolicy policy, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "text-" + i)
        .filter(id -> policy.reason(candidate(id), NONE).isPresent())
        .collect(Collectors.toSet());
  }

  @Test
  void shouldSampleTheSameIdsOnEveryReplayAndRoughlyTheConfiguredRate() {
    var first = sampled(uniform(0.1), 10_000);
    var replay = sampled(uniform(0.1), 10_000);

    // Binomial(10000, 0.1) has a standard deviation of 30; 0.09..0.11 is more than three of them
    // either side.
    assertThat(first.size()).isBetween(900, 1100);
    assertThat(replay).isEqualTo(first);
  }

  @Test
  void shouldKeepTheSampleAtALowerRateInsideTheSampleAtAHigherOne() {
    // One hash per id, compared with the rate: raising the rate only adds ids, so reviews already
    // done stay useful.
    assertThat(sampled(uniform(0.2), 2_000)).containsAll(sampled(uniform(0.05), 2_000));
  }

  @Test
  void shouldSampleEveryTextOfALabelUntilItsQuotaIsMet() {
    var policy = new SamplingPolicy(0, 3, 0, 0, 0, 0, 0, 0);

    for (long done = 0; done < 3; done++) {
      assertThat(policy.reason(candidate("x" + done), new SamplingPolicy.Counts(done, 0, 0)))
          .contains(SampleReason.STRATIFIED);
    }
    assertThat(policy.reason(candidate("x3"), new SamplingPolicy.Counts(3, 0, 0))).isEmpty();
  }

  @Test
  void shouldSampleDisagreementsWithTheStudentAtTheirRateOnly() {
    var policy = new SamplingPolicy(0, 0, 0, 0, 0.5, 0, 0, 0);
    var disagreements = 0;
    for (int i = 0; i < 2_000; i++) {
      var id = "text-" + i;
      var agrees = new SamplingPolicy.Candidate(id, "a", 0.99, "a");
      var differs = new SamplingPolicy.Candidate(id, "a", 0.99, "b");
      var unscored = new SamplingPolicy.Candidate(id, "a", 0.99, null);
      assertThat(policy.reason(agrees, NONE)).isEmpty();
      assertThat(policy.reason(unscored, NONE)).isEmpty();
      var reason = policy.reason(differs, NONE);
      if (reason.isPresent()) {
        assertThat(reason).contains(SampleReason.DISAGREEMENT);
        disagreements++;
      }
    }
    // Binomial(2000, 0.5): a standard deviation of 22; 900..1100 is over four of them.
    assertThat(disagreements).isBetween(900, 1100);
  }

  @Test
  void shouldSampleLowConfidenceLabelsBelowTheThresholdAtTheirRate() {
    var policy = new SamplingPolicy(0, 0, 0.6, 1.0, 0, 0, 0, 0);

    assertThat(policy.reason(new SamplingPolicy.Candidate("t", "a", 0.59, null), NONE))
        .contains(SampleReason.LOW_CONFIDENCE);
    assertThat(policy.reason(new SamplingPolicy.Candidate("t", "a", 0.6, null), NONE)).isEmpty();
    assertThat(policy.reason(new SamplingPolicy.Candidate("t", "a", null, null), NONE)).isEmpty();
  }

  @Test
  void shouldGiveTheFirstReasonThatHoldsInPolicyOrder() {
    var everything = new SamplingPolicy(1, 1, 0.5, 1, 1, 0, 0, 0);
    var unsure = new SamplingPolicy.Candidate("t", "a", 0.1, "b");

    assertThat(everything.reason(unsure, new SamplingPolicy.Counts(0, 0, 0)))
        .contains(SampleReason.STRATIFIED);
    assertThat(everything.reason(unsure, new SamplingPolicy.Counts(1, 0, 0)))
        .contains(SampleReason.DISAGREEMENT);
    assertThat(
            everything.reason(
                new SamplingPolicy.Candidate("t", "a", 0.1, "a"),
                new SamplingPolicy.Counts(1, 0, 0)))
        .contains(SampleReason.LOW_CONFIDENCE);
    assertThat(everything.reason(candidate("t"), new SamplingPolicy.Counts(1, 0, 0)))
        .contains(SampleReason.UNIFORM);
  }

  @Test
  void shouldSendAnUnreviewedProbeTextToReviewWhateverTheBudget() {
    var policy = new SamplingPolicy(0, 0, 0, 0, 0, 10, 0, 0);
    var probe = new SamplingPolicy.Candidate("p", "a", 0.99, null, true);

    assertThat(policy.reason(probe, new SamplingPolicy.Counts(0, 10, 0)))
        .contains(SampleReason.PROBE);
  }

  @Test
  void shouldSampleNothingOnceTheHourOrTheDayBudgetIsSpent() {
    var policy = new SamplingPolicy(1, 5, 0, 0, 0, 10, 50, 0);

    assertThat(policy.reason(candidate("t"), new SamplingPolicy.Counts(0, 9, 49))).isPresent();
    assertThat(policy.reason(candidate("t"), new SamplingPolicy.Counts(0, 10, 10))).isEmpty();
    assertThat(policy.reason(candidate("t"), new SamplingPolicy.Counts(0, 0, 50))).isEmpty();
  }

  @Test
  void shouldSplitQuotasAndBudgetsOverPartitionsRoundingUp() {
    var config =
        TestAuditorConfig.of(
            Map.of(
                "distillery.auditor.sample-rate", "0",
                "distillery.auditor.stratified-min-per-label", "25",
                "distillery.auditor.budget-per-hour", "10",
                "distillery.auditor.budget-per-day", "0"));
    var policy = SamplingPolicy.of(config, 4);

    // 25 over 4 partitions: 7 each; 10 an hour over 4: 3 each.
    assertThat(policy.reason(candidate("t"), new SamplingPolicy.Counts(6, 0, 0))).isPresent();
    assertThat(policy.reason(candidate("t"), new SamplingPolicy.Counts(7, 0, 0))).isEmpty();
    assertThat(policy.reason(candidate("t"), new SamplingPolicy.Counts(0, 3, 0))).isEmpty();
    // A day budget of 0 is no cap.
    assertThat(policy.reason(candidate("t"), new SamplingPolicy.Counts(0, 2, 1_000_000)))
        .isPresent();
  }

  @Test
  void shouldAskTwoReviewersForRoughlyTheConfiguredShare() {
    var policy = new SamplingPolicy(1, 0, 0, 0, 0, 0, 0, 0.1);
    var counts = new HashMap<Integer, Integer>();
    for (int i = 0; i < 10_000; i++) {
      counts.merge(policy.reviewers("text-" + i), 1, Integer::sum);
    }

    assertThat(counts).containsOnlyKeys(1, 2);
    assertThat(counts.get(2)).isBetween(900, 1100);
    assertThat(policy.reviewers("text-1")).isEqualTo(policy.reviewers("text-1"));
  }

  @Test
  void shouldRefuseRatesOutsideZeroToOneAndNegativeQuotas() {
    for (var setting :
        Map.of(
                "sample-rate", "1.01",
                "low-confidence-rate", "-0.1",
                "disagreement-rate", "NaN",
                "double-review-share", "2",
                "stratified-min-per-label", "-1",
                "budget-per-day", "-5")
            .entrySet()) {
      var config =
          TestAuditorConfig.of(
              Map.of("distillery.auditor." + setting.getKey(), setting.getValue()));
      assertThatThrownBy(() -> SamplingPolicy.of(config, 1))
          .as(setting.getKey())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(setting.getKey());
    }
  }
}
