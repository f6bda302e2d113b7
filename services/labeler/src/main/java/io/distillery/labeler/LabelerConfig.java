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

  /**
   * The most teacher answers the labeler holds in memory ({@link TeacherCache}), about 300 bytes
   * each; the least recently used are evicted first. The cache topic keeps every answer: an evicted
   * one only means a later duplicate of its text pays the teacher again.
   */
  @WithDefault("" + TeacherCache.DEFAULT_MAX_ENTRIES)
  int cacheMaxEntries();
}
