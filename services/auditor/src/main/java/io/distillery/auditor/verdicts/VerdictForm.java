package io.distillery.auditor.verdicts;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.common.Codebook;
import io.distillery.schema.ReviewVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Set;

/**
 * Verdicts as people and tools post them ({@code POST /api/verdicts}): one JSON object per verdict,
 * {@code {"id": ..., "label": ...}} or {@code {"id": ..., "skipped": true}}, with an optional
 * {@code note} and an optional {@code task} that must be the codebook's. The reviewer is whoever
 * logged in, never a field of the body. Checked here, before anything reaches the topic, with
 * reasons a person can act on; the auditor checks again what other producers write.
 */
public final class VerdictForm {

  /** The longest note taken. */
  public static final int MAX_NOTE_CHARS = 2_000;

  private static final Set<String> FIELDS = Set.of("id", "label", "skipped", "note", "task");

  private final Codebook codebook;

  public VerdictForm(Codebook codebook) {
    this.codebook = codebook;
  }

  /**
   * The verdict in one posted object.
   *
   * @param item the posted object
   * @param reviewer the authenticated user's name
   * @param decidedAt when the verdict was given
   * @throws BadVerdictException when the object is not a verdict this codebook takes
   */
  public ReviewVerdict read(JsonNode item, String reviewer, Instant decidedAt)
      throws BadVerdictException {
    if (reviewer == null || reviewer.isBlank()) {
      throw new IllegalArgumentException("a verdict needs a reviewer");
    }
    if (item == null || !item.isObject()) {
      throw new BadVerdictException("expected a JSON object");
    }
    var unknown = new ArrayList<String>();
    item.fieldNames().forEachRemaining(name -> unknown.add(name));
    unknown.removeAll(FIELDS);
    if (!unknown.isEmpty()) {
      throw new BadVerdictException("unknown field(s) " + unknown + "; known: " + FIELDS);
    }
    var id = text(item, "id");
    if (id == null || id.isBlank()) {
      throw new BadVerdictException("missing or empty 'id'");
    }
    var task = text(item, "task");
    if (task != null && !task.equals(codebook.task())) {
      throw new BadVerdictException(
          "task '" + task + "' is not the codebook's task '" + codebook.task() + "'");
    }
    var skippedNode = item.get("skipped");
    if (skippedNode != null && !skippedNode.isNull() && !skippedNode.isBoolean()) {
      throw new BadVerdictException("'skipped' must be true or false");
    }
    boolean skipped = skippedNode != null && skippedNode.asBoolean(false);
    var label = text(item, "label");
    if (skipped && label != null) {
      throw new BadVerdictException("a skip carries no label");
    }
    if (!skipped && label == null) {
      throw new BadVerdictException(
          "missing 'label' (one of " + codebook.labelNames() + ") or 'skipped': true");
    }
    if (!skipped && !codebook.hasLabel(label)) {
      throw new BadVerdictException(
          "label '" + label + "' is not one of the codebook's labels " + codebook.labelNames());
    }
    var note = text(item, "note");
    if (note != null && note.length() > MAX_NOTE_CHARS) {
      throw new BadVerdictException(
          "'note' has " + note.length() + " characters; at most " + MAX_NOTE_CHARS);
    }
    return ReviewVerdict.newBuilder()
        .setId(id)
        .setTask(codebook.task())
        .setLabel(label)
        .setSkipped(skipped)
        .setReviewer(reviewer)
        .setNote(note == null || note.isBlank() ? null : note)
        .setDecidedAt(decidedAt)
        .build();
  }

  /** The field's text; null when absent or null; refused when it is not a string. */
  private static String text(JsonNode item, String field) throws BadVerdictException {
    var node = item.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new BadVerdictException("'" + field + "' must be a string");
    }
    return node.asText();
  }

  /** A posted object that is not a verdict this codebook takes; the message says why. */
  public static final class BadVerdictException extends Exception {
    private static final long serialVersionUID = 1L;

    BadVerdictException(String message) {
      super(message);
    }
  }
}
