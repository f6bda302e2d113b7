package io.distillery.students;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled dataset in the layout of {@code ../shared/datasets/NAME/data.jsonl}: one JSON object
 * per line with {@code id, text, human_label, llm_label (nullable), split}.
 */
public final class LabelledDataset {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param id text id
   * @param text the text
   * @param humanLabel the reference label
   * @param llmLabel the label a real LLM gave, or null
   * @param split {@code train} or {@code test}
   * @param llmConfidence the confidence the LLM stated in its label, or null
   */
  public record Row(
      String id,
      String text,
      String humanLabel,
      String llmLabel,
      String split,
      Double llmConfidence) {

    /** A row without the LLM's confidence. */
    public Row(String id, String text, String humanLabel, String llmLabel, String split) {
      this(id, text, humanLabel, llmLabel, split, null);
    }
  }

  private LabelledDataset() {}

  /** Reads every row of a {@code data.jsonl} file. */
  public static List<Row> read(Path dataJsonl) throws IOException {
    var rows = new ArrayList<Row>();
    try (var lines = Files.lines(dataJsonl)) {
      for (var line : (Iterable<String>) lines::iterator) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = JSON.readTree(line);
        rows.add(
            new Row(
                node.path("id").asText(),
                node.path("text").asText(),
                node.path("human_label").asText(null),
                node.path("llm_label").isNull() ? null : node.path("llm_label").asText(null),
                node.path("split").asText(),
                node.path("llm_confidence").isNumber()
                    ? Double.valueOf(node.path("llm_confidence").asDouble())
                    : null));
      }
    }
    return rows;
  }
}
