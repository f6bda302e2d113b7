package io.distillery.labeler;

import io.distillery.common.Codebook;
import io.distillery.labeler.openai.OpenAiTeacher;
import io.distillery.labeler.zeroshot.ZeroShotTeacher;
import java.nio.file.Path;

/** Builds the configured teacher; an unknown kind fails at start, not at the first text. */
public final class Teachers {

  private Teachers() {}

  /** The teacher {@code distillery.teacher.kind} names. */
  public static Teacher create(TeacherConfig config, Codebook codebook) {
    return switch (config.kind()) {
      case "replay" ->
          config
              .replayFile()
              .map(file -> ReplayTeacher.fromFile(codebook, Path.of(file), config.replayField()))
              .orElseGet(() -> new ReplayTeacher(codebook, config.replayField()));
      case ZeroShotTeacher.KIND -> new ZeroShotTeacher(codebook);
      case "openai" -> new OpenAiTeacher(codebook, config);
      default ->
          throw new IllegalArgumentException(
              "distillery.teacher.kind: unknown teacher '"
                  + config.kind()
                  + "' (known: replay, zero-shot, openai)");
    };
  }
}
