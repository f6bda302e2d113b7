package io.distillery.labeler;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The teachers there are: the registry of their names ({@code distillery.teacher.kind}, the
 * experiment's {@code --teacher}, the {@code kind} of every {@code TeacherIdentity}). The
 * configuration takes either spelling ({@code zero-shot} or {@code ZERO_SHOT}).
 */
public enum TeacherKind {
  /** Labels recorded beside the texts (a field of each text, or a file). */
  REPLAY,
  /** Embedding similarity to the label definitions with the bundled MiniLM: no LLM, no key. */
  ZERO_SHOT,
  /** An OpenAI-compatible chat-completions API. */
  OPENAI;

  /**
   * The name as configured and stamped on labels: {@code replay}, {@code zero-shot}, {@code
   * openai}.
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Every teacher's {@link #id()}. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(TeacherKind::id).toList();
  }

  /**
   * The teacher {@code id} names.
   *
   * @throws IllegalArgumentException naming the known teachers, for any other name
   */
  public static TeacherKind of(String id) {
    for (var kind : values()) {
      if (kind.id().equals(id)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown teacher '" + id + "' (known: " + ids() + ")");
  }
}
