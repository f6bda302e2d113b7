package io.distillery.common.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.TextChecks;
import io.distillery.schema.TextEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns one input row (a JSON object, or a CSV row as a field map) into a {@link TextEvent}: {@code
 * text} is required; {@code id}, {@code source} and {@code created_at} are optional; every other
 * field goes into metadata as text. A row without an id gets the hash of its text, so re-ingesting
 * a file gives the same ids.
 */
public final class TextEventParser {

  /** Texts longer than this are rejected, as the roles would dead-letter them. */
  public static final int MAX_TEXT_CHARS = TextChecks.MAX_TEXT_CHARS;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String defaultSource;

  /**
   * @param defaultSource the source recorded on rows that name none, e.g. the file name
   */
  public TextEventParser(String defaultSource) {
    this.defaultSource = defaultSource;
  }

  /** Parses one JSON object; throws {@link BadRowException} with a reason a person can act on. */
  public TextEvent parseJson(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (Exception e) {
      throw new BadRowException("not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    return parse(node);
  }

  /** Parses an already-read JSON value, which must be an object. */
  public TextEvent parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new BadRowException("expected a JSON object");
    }
    var text = node.get("text");
    if (text != null && !text.isNull() && !text.isTextual()) {
      // A number or an object is not a text someone wrote: refuse it rather than label "42".
      throw new BadRowException("'text' must be a JSON string, got " + kind(text));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (var e : node.properties()) {
      if (!e.getValue().isNull()) {
        fields.put(
            e.getKey(),
            e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
      }
    }
    return fromFields(fields);
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Parses a row given as field name to value (a CSV row). */
  public TextEvent fromFields(Map<String, String> row) {
    var fields = new LinkedHashMap<>(row);
    var text = fields.remove("text");
    if (text == null || text.isBlank()) {
      throw new BadRowException("missing or empty 'text'");
    }
    TextChecks.problem(text, MAX_TEXT_CHARS)
        .ifPresent(
            problem -> {
              throw new BadRowException(problem);
            });
    var id = blankToNull(fields.remove("id"));
    var source = blankToNull(fields.remove("source"));
    var createdAt = blankToNull(fields.remove("created_at"));
    fields.values().removeIf(v -> v == null);
    return TextEvent.newBuilder()
        .setId(id != null ? id : contentId(text))
        .setText(text)
        .setSource(source != null ? source : defaultSource)
        .setCreatedAt(createdAt == null ? null : parseTime(createdAt))
        .setIngestedAt(Instant.now())
        .setMetadata(new LinkedHashMap<>(fields))
        .build();
  }

  private static Instant parseTime(String value) {
    try {
      return value.chars().allMatch(Character::isDigit)
          ? Instant.ofEpochMilli(Long.parseLong(value))
          : Instant.parse(value);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new BadRowException(
          "'created_at' is neither ISO-8601 nor epoch milliseconds: " + value);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** The id of a text without one: the first 24 hex digits of the SHA-256 of the text. */
  static String contentId(String text) {
    try {
      var digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + HexFormat.of().formatHex(digest).substring(0, 24);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A row that cannot become a text event; the message says why. */
  public static final class BadRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRowException(String message) {
      super(message);
    }
  }
}
