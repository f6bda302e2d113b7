package io.distillery.labeler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.Codebook;
import io.distillery.schema.TeacherIdentity;
import io.distillery.schema.TextEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays labels recorded earlier: from a JSONL file keyed by text id, or from a metadata field of
 * each event (by default {@code llm_label}, the label a real LLM gave in the shared datasets).
 * Costs nothing and needs no network: the teacher for demos, tests and re-distilling recorded
 * labels.
 *
 * <p>A label from the metadata carries the confidence recorded beside it, in the sibling field
 * ({@code llm_confidence} beside {@code llm_label}, see {@link #confidenceField}), when that is a
 * number in (0, 1]: soft distillation learns from it. Labels from a file carry none.
 */
public final class ReplayTeacher implements Teacher {

  private final Codebook codebook;
  private final String field;
  private final String confidenceField;
  private final TeacherIdentity identity;
  private final Map<String, String> recorded;

  /** Labels from the metadata field {@code field}. */
  public ReplayTeacher(Codebook codebook, String field) {
    this(codebook, field, Map.of(), "metadata:" + field);
  }

  private ReplayTeacher(
      Codebook codebook, String field, Map<String, String> recorded, String source) {
    this.codebook = codebook;
    this.field = field;
    this.confidenceField = confidenceField(field);
    this.recorded = recorded;
    this.identity = new TeacherIdentity(TeacherKind.REPLAY.id(), source, codebook.promptVersion());
  }

  /**
   * Labels from a JSONL file of {@code {"id", "label"}} objects, then from the metadata field for
   * ids the file lacks.
   */
  public static ReplayTeacher fromFile(Codebook codebook, Path file, String field) {
    var recorded = new HashMap<String, String>();
    var json = new ObjectMapper();
    try (var lines = Files.lines(file)) {
      int n = 0;
      for (var line : (Iterable<String>) lines::iterator) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        var node = json.readTree(line);
        if (!node.hasNonNull("id") || !node.hasNonNull("label")) {
          throw new IllegalArgumentException(file + " line " + n + ": needs \"id\" and \"label\"");
        }
        recorded.put(node.get("id").asText(), node.get("label").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read recorded labels " + file, e);
    }
    return new ReplayTeacher(
        codebook, field, Map.copyOf(recorded), "file:" + file.getFileName() + "+metadata:" + field);
  }

  /**
   * The metadata field that holds the confidence of the label in {@code labelField}: {@code
   * x_confidence} beside {@code x_label}, else {@code labelField + "_confidence"}.
   */
  public static String confidenceField(String labelField) {
    return (labelField.endsWith("_label")
            ? labelField.substring(0, labelField.length() - "_label".length())
            : labelField)
        + "_confidence";
  }

  @Override
  public TeacherIdentity identity() {
    return identity;
  }

  @Override
  public List<Outcome> label(List<TextEvent> events) {
    return events.stream().map(this::label).toList();
  }

  private Outcome label(TextEvent event) {
    var fromFile = recorded.get(event.getId());
    var label = fromFile != null ? fromFile : event.getMetadata().get(field);
    if (label == null || label.isBlank()) {
      return new Failed(
          "no recorded label for this id"
              + (recorded.isEmpty() ? "" : " in the replay file")
              + " nor in metadata field '"
              + field
              + "'");
    }
    if (!codebook.hasLabel(label)) {
      return new Failed("recorded label '" + label + "' is not one of " + codebook.labelNames());
    }
    Double confidence = fromFile != null ? null : confidence(event.getMetadata());
    return new Labeled(new TeacherLabel(label, confidence, null, 0.0, 0, 0));
  }

  /** The recorded confidence, when it is a number in (0, 1]; null otherwise. */
  private Double confidence(Map<String, String> metadata) {
    var value = metadata.get(confidenceField);
    if (value == null) {
      return null;
    }
    try {
      double c = Double.parseDouble(value.strip());
      return c > 0 && c <= 1 ? c : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
