package io.distillery.bench.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The repository's sample stream as the chaos run's source of texts: text {@code i} is sample row
 * {@code i mod n} with its id appended ({@code " [c-000042]"}), so every text is distinct (no
 * teacher answer is shared through the cache) and the stub teacher and the reviewer can find the
 * recorded LLM and human labels of a text they receive.
 */
final class SampleTexts {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SUFFIX = Pattern.compile(" \\[c-\\d+]$");

  private record Row(String text, String llmLabel, String humanLabel) {}

  private final List<Row> rows;
  private final Map<String, Row> byText = new HashMap<>();

  private SampleTexts(List<Row> rows) {
    this.rows = rows;
    rows.forEach(row -> byText.put(row.text(), row));
  }

  static SampleTexts read(Path jsonl) throws IOException {
    var rows = new ArrayList<Row>();
    for (var line : Files.readAllLines(jsonl)) {
      if (line.isBlank()) {
        continue;
      }
      var row = JSON.readTree(line);
      rows.add(
          new Row(
              row.path("text").asText(),
              row.path("llm_label").asText(),
              row.path("human_label").asText()));
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(jsonl + " holds no texts");
    }
    return new SampleTexts(rows);
  }

  static String id(int i) {
    return String.format("c-%06d", i);
  }

  /** The text of good text {@code i}. */
  String text(int i) {
    return rows.get(i % rows.size()).text() + " [" + id(i) + "]";
  }

  /** The recorded LLM label of a text as the teacher receives it, or null when unknown. */
  String llmLabel(String text) {
    var row = byText.get(SUFFIX.matcher(text.strip()).replaceFirst(""));
    return row == null ? null : row.llmLabel();
  }

  /** The human label of a text, or null when unknown. */
  String humanLabel(String text) {
    var row = byText.get(SUFFIX.matcher(text.strip()).replaceFirst(""));
    return row == null ? null : row.humanLabel();
  }
}
