package io.distillery.labeler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the labeler role ({@code DISTILLERY_LABELER_...} in the environment); the teacher has
 * its own, {@link TeacherConfig}.
 */
@ConfigMapping(prefix = "distillery.labeler")
public interface LabelerConfig {

  /** Consumer group (and transactional id base) of the labeler. */
  @WithDefault("distillery-labeler")
  String groupId();
}
