package io.distillery.students.minilm;

import java.util.List;

/**
 * Turns texts into unit-length vectors whose dot product is their cosine similarity. {@link
 * MiniLmEncoder} is the real one and {@link CachingEncoder} remembers its vectors; the seam also
 * lets teacher tests script an encoder that fails. Implementations are thread-safe.
 */
public interface TextEncoder extends AutoCloseable {

  /**
   * The model's name, stamped on every zero-shot label as part of the teacher's identity and kept
   * with every student trained on the vectors.
   */
  String modelName();

  /**
   * One L2-normalised vector per text, in the order of {@code texts}.
   *
   * @throws EncodingException when the batch cannot be embedded
   */
  float[][] embed(List<String> texts);

  /** Releases the model. */
  @Override
  default void close() {}

  /** A batch could not be embedded: the native runtime or the tokenizer failed. */
  final class EncodingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EncodingException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
