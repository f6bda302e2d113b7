package io.distillery.labeler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the labeler role ({@code DISTILLERY_LABELER_...} in the environment). */
@ConfigMapping(prefix = "distillery.labeler")
public interface LabelerConfig {

  /** Which teacher labels: {@code replay} (labels recorded earlier). */
  @WithDefault("replay")
  String teacher();

  /**
   * The metadata field a replay teacher reads its label from ({@code llm_label}, as in the shared
   * datasets).
   */
  @WithDefault("llm_label")
  String replayField();

  /** Consumer group (and transactional id base) of the labeler. */
  @WithDefault("distillery-labeler")
  String groupId();
}
