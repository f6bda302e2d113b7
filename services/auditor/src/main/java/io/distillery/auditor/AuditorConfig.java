package io.distillery.auditor;

import io.distillery.auditor.agreement.Agreement;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the auditor role ({@code DISTILLERY_AUDITOR_...} in the environment). */
@ConfigMapping(prefix = "distillery.auditor")
public interface AuditorConfig {

  /**
   * Share of teacher labels sent to human review, chosen by a hash of the text id (so a replay
   * samples the same).
   */
  @WithDefault("0.05")
  double sampleRate();

  /**
   * Stratified sampling: at least this many texts per teacher label (per task and prompt version)
   * go to review, so rare classes are checked too; 0 turns it off. Counted per partition of the
   * labeled topic (the quota is split evenly over them) so that a replay samples the same texts.
   */
  @WithDefault("25")
  int stratifiedMinPerLabel();

  /**
   * Low-confidence sampling: a teacher label whose confidence (or, without one, self-consistency)
   * is below this is a candidate; 0 turns it off.
   */
  @WithDefault("0.6")
  double lowConfidenceThreshold();

  /** Share of low-confidence candidates sent to review, chosen by id hash. */
  @WithDefault("0.5")
  double lowConfidenceRate();

  /**
   * Share of teacher labels that differ from the student's label for the same text sent to review,
   * chosen by id hash; 0 turns it off.
   */
  @WithDefault("0.2")
  double disagreementRate();

  /**
   * How long the auditor remembers a student's label, waiting for the teacher's label of the same
   * text; a teacher label that comes later is not compared.
   */
  @WithDefault("PT10M")
  Duration disagreementWindow();

  /**
   * The most review requests per hour of labeling time (the labeled records' timestamps); 0 is no
   * cap. Split evenly over the labeled topic's partitions.
   */
  @WithDefault("0")
  long budgetPerHour();

  /**
   * The most review requests per UTC day of labeling time; 0 is no cap. Split like the hourly one.
   */
  @WithDefault("0")
  long budgetPerDay();

  /**
   * Share of review requests that ask for two different reviewers, for human-versus-human
   * agreement; chosen by id hash.
   */
  @WithDefault("0.1")
  double doubleReviewShare();

  /**
   * Fewer reviewed items than this leave the gate at INSUFFICIENT_DATA (Pangakis et al. 2023
   * recommend 250).
   */
  @WithDefault("250")
  int minReviewed();

  /** The gate fails below this teacher macro-F1 against people. */
  @WithDefault("0.7")
  double minMacroF1();

  /** The gate fails below this Cohen's kappa, teacher vs people. */
  @WithDefault("0.4")
  double minKappa();

  /**
   * A class is held to the per-class floors once it has this many reviewed items: its precision
   * once the teacher gave it to this many, its recall once people did. Fewer items make either
   * number too noisy to fail a teacher on.
   */
  @WithDefault("10")
  int minClassItems();

  /** The gate fails when any class's teacher precision against people is below this. */
  @WithDefault("0.3")
  double minClassPrecision();

  /** The gate fails when any class's teacher recall against people is below this. */
  @WithDefault("0.3")
  double minClassRecall();

  /**
   * Resamples of the reviewed items behind the 95 % bootstrap intervals of accuracy, macro-F1 and
   * kappa; each report costs this many times the reviewed count in random draws.
   */
  @WithDefault("1000")
  int bootstrapResamples();

  /** Seed of the bootstrap, so one confusion matrix always gives the same intervals. */
  @WithDefault("20240614")
  long bootstrapSeed();

  /**
   * Length of the sliding window the reports also measure the teacher over, in UTC days up to the
   * report's (at most {@value Agreement#RETAINED_DAYS}).
   */
  @WithDefault("7")
  int windowDays();

  /**
   * Label-mix monitor: the teacher's label mix of the newest day (per source, and over all) is
   * compared with the mix of this many days before it.
   */
  @WithDefault("7")
  int mixReferenceDays();

  /** The label-mix monitor judges neither mix with fewer labels than this. */
  @WithDefault("200")
  long mixMinItems();

  /**
   * The label-mix monitor alerts when the population stability index of the newest day's mix
   * against the reference is above this (0.2 is the usual mark of a significant shift).
   */
  @WithDefault("0.2")
  double mixMaxPsi();

  /**
   * Teacher drift probe: a JSON-lines file of fixed texts ({@code {"id", "text", "label"?}} per
   * line; the label, a person's, is optional) sent again to the teacher on a schedule. Unset turns
   * the probe off.
   */
  Optional<String> probeFile();

  /** Time between two drift probe runs. */
  @WithDefault("PT24H")
  Duration probeInterval();

  /** Time from the auditor's start to the first drift probe run. */
  @WithDefault("PT1M")
  Duration probeInitialDelay();

  /**
   * The drift probe alerts when the share of probe labels that changed since the previous run is
   * above this.
   */
  @WithDefault("0.1")
  double probeMaxChanged();

  /** Kafka Streams application id of the auditor. */
  @WithDefault("distillery-auditor")
  String applicationId();
}
