package io.distillery.labeler;

import io.distillery.common.Codebook;
import io.distillery.labeler.openai.OpenAiTeacher;
import io.distillery.labeler.zeroshot.ZeroShotTeacher;

/** Builds the configured teacher; an unknown kind fails at start, not at the first text. */
public final class Teachers {

  private Teachers() {}

  /** The teacher {@code distillery.teacher.kind} names. */
  public static Teacher create(TeacherConfig config, Codebook codebook) {
    return switch (config.kind()) {
      case "replay" -> new ReplayTeacher(codebook, config.replayField());
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
