package io.distillery.auditor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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

  /** Kafka Streams application id of the auditor. */
  @WithDefault("distillery-auditor")
  String applicationId();
}
