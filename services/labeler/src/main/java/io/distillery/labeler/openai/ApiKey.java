package io.distillery.labeler.openai;

import io.distillery.labeler.TeacherConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API key, from {@code distillery.teacher.api-key} or the file {@code api-key-file} (trimmed).
 * It leaves this class only as an {@code Authorization} header value; {@link #toString()} and every
 * error message show at most whether a key is set. Servers echo keys back in error messages
 * ("Incorrect API key provided: sk-...") so {@link #scrub} removes both this key and anything
 * shaped like one from text that may reach a log or an exception.
 */
final class ApiKey {

  private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_*\\-]{3,}");
  private static final String REDACTED = "[REDACTED]";

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /** No key: local servers need none, and no {@code Authorization} header is sent. */
  static ApiKey none() {
    return new ApiKey(null);
  }

  static ApiKey of(String value) {
    return value == null || value.isBlank() ? none() : new ApiKey(value.trim());
  }

  /** The configured key: {@code apiKey} when set, else the content of {@code apiKeyFile}. */
  static ApiKey from(TeacherConfig config) {
    var direct = config.apiKey().filter(k -> !k.isBlank());
    if (direct.isPresent()) {
      return of(direct.get());
    }
    var file = config.apiKeyFile().filter(f -> !f.isBlank());
    if (file.isEmpty()) {
      return none();
    }
    try {
      var key = Files.readString(Path.of(file.get())).trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException(
            "distillery.teacher.api-key-file: " + file.get() + " is empty");
      }
      return of(key);
    } catch (IOException e) {
      // The exception type and the path only: never anything read from the file.
      throw new IllegalArgumentException(
          "distillery.teacher.api-key-file: cannot read "
              + file.get()
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /** The {@code Authorization} header value, when a key is set. */
  Optional<String> authorization() {
    return value == null ? Optional.empty() : Optional.of("Bearer " + value);
  }

  /** {@code text} without this key or anything that looks like an API key. */
  String scrub(String text) {
    if (text == null) {
      return null;
    }
    var scrubbed = value == null ? text : text.replace(value, REDACTED);
    return KEY_LIKE.matcher(scrubbed).replaceAll(REDACTED);
  }

  @Override
  public String toString() {
    return value == null ? "ApiKey[none]" : "ApiKey[set]";
  }
}
