package io.distillery.labeler;

import io.distillery.common.Codebook;
import io.distillery.labeler.openai.OpenAiTeacher;
import io.distillery.labeler.zeroshot.ZeroShotTeacher;
import java.nio.file.Path;

/**
 * Builds the configured teacher. An unknown kind fails when the configuration is read (it is a
 * {@link TeacherKind}), not at the first text.
 */
public final class Teachers {

  private Teachers() {}

  /** The teacher {@code distillery.teacher.kind} names. */
  public static Teacher create(TeacherConfig config, Codebook codebook) {
    return switch (config.kind()) {
      case REPLAY ->
          config
              .replayFile()
              .map(file -> ReplayTeacher.fromFile(codebook, Path.of(file), config.replayField()))
              .orElseGet(() -> new ReplayTeacher(codebook, config.replayField()));
      case ZERO_SHOT -> new ZeroShotTeacher(codebook);
      case OPENAI -> new OpenAiTeacher(codebook, config);
    };
  }
}
