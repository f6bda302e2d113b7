package io.distillery.common;

import io.distillery.schema.TextEvent;
import java.util.Optional;

/**
 * What makes a text unusable, decided in one place for ingest, the labeler and the classifier: no
 * id, no text, a text too long to be one text, or bytes that were not UTF-8.
 */
public final class TextChecks {

  /** Texts longer than this are refused by default: nobody labels a book as one text. */
  public static final int MAX_TEXT_CHARS = 100_000;

  private TextChecks() {}

  /** Why {@code text} cannot be labeled or scored, or empty when it can. */
  public static Optional<String> problem(String text, int maxChars) {
    if (text == null || text.isBlank()) {
      return Optional.of("empty text");
    }
    if (text.length() > maxChars) {
      return Optional.of("text has " + text.length() + " characters, more than " + maxChars);
    }
    // Avro and the ingest reader decode malformed UTF-8 to U+FFFD without complaint; that mark is
    // all that is left of bad input.
    if (text.indexOf('\uFFFD') >= 0) {
      return Optional.of("text is not valid UTF-8 (it holds U+FFFD replacement characters)");
    }
    return Optional.empty();
  }

  /** Why {@code event} cannot be labeled or scored, or empty when it can. */
  public static Optional<String> problem(TextEvent event, int maxChars) {
    if (event == null) {
      return Optional.of("no value (tombstone)");
    }
    if (event.getId() == null || event.getId().isBlank()) {
      return Optional.of("empty id");
    }
    return problem(event.getText(), maxChars);
  }
}
