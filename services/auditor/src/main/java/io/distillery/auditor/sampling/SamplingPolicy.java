package io.distillery.auditor.sampling;

import io.distillery.auditor.AuditorConfig;
import io.distillery.common.StableHash;
import io.distillery.schema.SampleReason;
import java.util.Optional;

/**
 * Which teacher labels go to human review, and why: the sampling strategies of the auditor,
 * combined. Pure: the counts it needs (how many texts each teacher label already sent, how much of
 * the budget is spent) come from the caller, which keeps them per partition.
 *
 * <p>A drift probe text without a person's label in the probe file goes to review once ({@code
 * PROBE}), whatever the budget: the probe set is small and fixed, and its agreement with people is
 * what tells drift from noise. Otherwise a text is sampled for the first reason that holds, in this
 * order:
 *
 * <ol>
 *   <li>{@code STRATIFIED}: its teacher label has sent fewer than its quota to review under this
 *       task and prompt version (every text sampled for any reason counts towards its label);
 *   <li>{@code DISAGREEMENT}: the student labelled it differently, and its id hash falls in the
 *       disagreement rate;
 *   <li>{@code LOW_CONFIDENCE}: the teacher's confidence (or self-consistency) is below the
 *       threshold, and its id hash falls in the low-confidence rate;
 *   <li>{@code UNIFORM}: its id hash falls in the uniform rate.
 * </ol>
 *
 * Nothing is sampled once the hour's or the day's budget is spent. Every rate draws on its own
 * salted hash of the id, so the strategies sample independently of one another and a replay of the
 * same stream samples the same texts.
 */
public final class SamplingPolicy {

  /**
   * What the policy looks at.
   *
   * @param id the text id
   * @param teacherLabel the teacher's label
   * @param confidence the teacher's confidence, or its self-consistency, or null
   * @param studentLabel the current student's label of the same text, or null when unknown
   * @param unreviewedProbe whether it is a drift probe text without a person's label that was never
   *     sent to review
   */
  public record Candidate(
      String id,
      String teacherLabel,
      Double confidence,
      String studentLabel,
      boolean unreviewedProbe) {

    /** A text that is not an unreviewed probe text. */
    public Candidate(String id, String teacherLabel, Double confidence, String studentLabel) {
      this(id, teacherLabel, confidence, studentLabel, false);
    }
  }

  /**
   * The counts the policy reads, for the candidate's task, prompt version and time.
   *
   * @param sampledWithLabel texts with the candidate's teacher label already sampled
   * @param sampledThisHour texts sampled in the candidate's hour
   * @param sampledToday texts sampled on the candidate's UTC day
   */
  public record Counts(long sampledWithLabel, long sampledThisHour, long sampledToday) {}

  private static final String UNIFORM_SALT = "distillery.auditor.uniform";
  private static final String LOW_CONFIDENCE_SALT = "distillery.auditor.low-confidence";
  private static final String DISAGREEMENT_SALT = "distillery.auditor.disagreement";
  private static final String DOUBLE_REVIEW_SALT = "distillery.auditor.double-review";

  private final double uniformRate;
  private final long perLabelQuota;
  private final double lowConfidenceThreshold;
  private final double lowConfidenceRate;
  private final double disagreementRate;
  private final long hourlyBudget;
  private final long dailyBudget;
  private final double doubleReviewShare;

  /**
   * @param config the auditor's settings
   * @param partitions partitions of the labeled topic: quotas and budgets are split evenly over
   *     them (rounded up), since each partition keeps its own counts
   */
  public static SamplingPolicy of(AuditorConfig config, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be positive, got " + partitions);
    }
    return new SamplingPolicy(
        config.sampleRate(),
        share(config.stratifiedMinPerLabel(), partitions, "stratified-min-per-label"),
        probability(config.lowConfidenceThreshold(), "low-confidence-threshold"),
        probability(config.lowConfidenceRate(), "low-confidence-rate"),
        probability(config.disagreementRate(), "disagreement-rate"),
        share(config.budgetPerHour(), partitions, "budget-per-hour"),
        share(config.budgetPerDay(), partitions, "budget-per-day"),
        probability(config.doubleReviewShare(), "double-review-share"));
  }

  public SamplingPolicy(
      double uniformRate,
      long perLabelQuota,
      double lowConfidenceThreshold,
      double lowConfidenceRate,
      double disagreementRate,
      long hourlyBudget,
      long dailyBudget,
      double doubleReviewShare) {
    this.uniformRate = probability(uniformRate, "sample-rate");
    this.perLabelQuota = perLabelQuota;
    this.lowConfidenceThreshold = lowConfidenceThreshold;
    this.lowConfidenceRate = lowConfidenceRate;
    this.disagreementRate = disagreementRate;
    this.hourlyBudget = hourlyBudget;
    this.dailyBudget = dailyBudget;
    this.doubleReviewShare = doubleReviewShare;
  }

  /** Why {@code candidate} goes to review; empty when it does not. */
  public Optional<SampleReason> reason(Candidate candidate, Counts counts) {
    if (candidate.unreviewedProbe()) {
      return Optional.of(SampleReason.PROBE);
    }
    if (hourlyBudget > 0 && counts.sampledThisHour() >= hourlyBudget
        || dailyBudget > 0 && counts.sampledToday() >= dailyBudget) {
      return Optional.empty();
    }
    if (counts.sampledWithLabel() < perLabelQuota) {
      return Optional.of(SampleReason.STRATIFIED);
    }
    var id = candidate.id();
    if (candidate.studentLabel() != null
        && !candidate.studentLabel().equals(candidate.teacherLabel())
        && StableHash.unit(id, DISAGREEMENT_SALT) < disagreementRate) {
      return Optional.of(SampleReason.DISAGREEMENT);
    }
    if (candidate.confidence() != null
        && candidate.confidence() < lowConfidenceThreshold
        && StableHash.unit(id, LOW_CONFIDENCE_SALT) < lowConfidenceRate) {
      return Optional.of(SampleReason.LOW_CONFIDENCE);
    }
    if (uniformSampled(id)) {
      return Optional.of(SampleReason.UNIFORM);
    }
    return Optional.empty();
  }

  /**
   * Whether the uniform strategy alone samples this id: true for every text it would ever sample,
   * whatever the counts, so a verdict for such an id may arrive before its teacher label.
   */
  public boolean uniformSampled(String id) {
    return StableHash.unit(id, UNIFORM_SALT) < uniformRate;
  }

  /** How many different people should label this sampled text: 2 for the double-review share. */
  public int reviewers(String id) {
    return StableHash.unit(id, DOUBLE_REVIEW_SALT) < doubleReviewShare ? 2 : 1;
  }

  private static long share(long total, int partitions, String name) {
    if (total < 0) {
      throw new IllegalArgumentException(
          "distillery.auditor." + name + " must not be negative, got " + total);
    }
    return (total + partitions - 1) / partitions;
  }

  private static double probability(double value, String name) {
    // Written so NaN fails too: it compares false with everything, so it would silently sample
    // nothing.
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(
          "distillery.auditor." + name + " must be in [0, 1], got " + value);
    }
    return value;
  }
}
