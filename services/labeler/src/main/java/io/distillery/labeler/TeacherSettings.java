package io.distillery.labeler;

import io.distillery.common.ToolSettings;

/**
 * The teacher's settings for the command-line tools ({@code relabel}, {@code estimate}): the {@link
 * TeacherConfig} mapping, read as {@link ToolSettings} reads every tool's settings.
 */
final class TeacherSettings {

  private TeacherSettings() {}

  static TeacherConfig load() {
    return ToolSettings.load(TeacherConfig.class).getConfigMapping(TeacherConfig.class);
  }
}
