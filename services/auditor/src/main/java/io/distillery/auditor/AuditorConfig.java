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

  /** Kafka Streams application id of the auditor. */
  @WithDefault("distillery-auditor")
  String applicationId();
}
