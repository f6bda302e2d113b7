package io.distillery.app.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes export rows as JSON lines (nested: teacher, student, people) or CSV (flat: one column per
 * field, the student's probabilities and people's labels as JSON text in their cells).
 */
public final class RowWriter {

  /** The formats {@code --format} takes. */
  public enum Format {
    JSONL("texts.jsonl"),
    CSV("texts.csv");

    final String fileName;

    Format(String fileName) {
      this.fileName = fileName;
    }

    public static Format parse(String name) {
      for (var f : values()) {
        if (f.name().equalsIgnoreCase(name)) {
          return f;
        }
      }
      if ("parquet".equalsIgnoreCase(name)) {
        throw new IllegalArgumentException(
            "--format parquet is not offered: Parquet's Java writer needs Hadoop's client libraries"
                + " (tens of MB) in every image; write jsonl and convert it (pandas, DuckDB, Polars"
                + " read it directly)");
      }
      throw new IllegalArgumentException("--format must be jsonl or csv, got " + name);
    }
  }

  static final List<String> CSV_COLUMNS =
      List.of(
          "id",
          "text",
          "source",
          "teacher_label",
          "teacher_kind",
          "teacher_model",
          "prompt_version",
          "teacher_confidence",
          "teacher_consistency",
          "teacher_cost_usd",
          "labeled_at",
          "student_label",
          "student_probabilities",
          "student_model_version",
          "student_uncertain",
          "scored_at",
          "human_labels");

  private static final ObjectMapper JSON = new ObjectMapper();

  private RowWriter() {}

  /** The row as one JSON object, with nulls where a part is missing. */
  static ObjectNode json(ExportData.Row row) {
    var node = JSON.createObjectNode();
    node.put("id", row.id()).put("text", row.text()).put("source", row.source());
    var t = row.teacher();
    if (t == null) {
      node.putNull("teacher");
    } else {
      node.putObject("teacher")
          .put("label", t.getLabel())
          .put("kind", t.getTeacher().getKind())
          .put("model", t.getTeacher().getModel())
          .put("prompt_version", t.getTeacher().getPromptVersion())
          .put("confidence", t.getConfidence())
          .put("consistency", t.getConsistency())
          .put("cost_usd", t.getCostUsd())
          .put("labeled_at", t.getLabeledAt().toString());
    }
    var s = row.student();
    if (s == null) {
      node.putNull("student");
    } else {
      var student =
          node.putObject("student")
              .put("label", s.getLabel())
              .put("model_version", s.getModelVersion())
              .put("uncertain", s.getUncertain())
              .put("scored_at", s.getScoredAt().toString());
      var probabilities = student.putObject("probabilities");
      s.getProbabilities().forEach(probabilities::put);
    }
    var people = node.putArray("people");
    row.people()
        .forEach(
            p ->
                people
                    .addObject()
                    .put("reviewer", p.reviewer())
                    .put("label", p.label())
                    .put("decided_at", java.time.Instant.ofEpochMilli(p.decidedAt()).toString()));
    return node;
  }

  /** Writes {@code rows} to {@code out} in {@code format}. */
  static void write(Format format, Iterable<ExportData.Row> rows, Writer out) throws IOException {
    if (format == Format.JSONL) {
      for (var row : rows) {
        out.write(JSON.writeValueAsString(json(row)));
        out.write('\n');
      }
      return;
    }
    var schema = CsvSchema.builder();
    CSV_COLUMNS.forEach(schema::addColumn);
    try (var csv = new CsvMapper().writer(schema.build().withHeader()).writeValues(out)) {
      for (var row : rows) {
        csv.write(flat(json(row)));
      }
    }
  }

  private static List<String> flat(ObjectNode row) throws IOException {
    var t = row.get("teacher");
    var s = row.get("student");
    return List.of(
        row.get("id").asText(),
        text(row.get("text")),
        text(row.get("source")),
        field(t, "label"),
        field(t, "kind"),
        field(t, "model"),
        field(t, "prompt_version"),
        field(t, "confidence"),
        field(t, "consistency"),
        field(t, "cost_usd"),
        field(t, "labeled_at"),
        field(s, "label"),
        s.isNull() ? "" : JSON.writeValueAsString(s.get("probabilities")),
        field(s, "model_version"),
        field(s, "uncertain"),
        field(s, "scored_at"),
        row.get("people").isEmpty() ? "" : JSON.writeValueAsString(row.get("people")));
  }

  private static String field(com.fasterxml.jackson.databind.JsonNode part, String name) {
    return part == null || part.isNull() ? "" : text(part.get(name));
  }

  private static String text(com.fasterxml.jackson.databind.JsonNode value) {
    return value == null || value.isNull() ? "" : value.asText();
  }
}
