package io.distillery.auditor.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.Codebook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed texts of the teacher drift probe, from a JSON-lines file: one {@code {"id", "text"}}
 * object per line, with an optional {@code "label"} (a person's label, one of the codebook's) to
 * measure the teacher against on the probe. Blank lines are ignored; anything else that is not such
 * an object stops the load with its line number.
 */
public final class ProbeSet {

  /**
   * One probe text.
   *
   * @param id the text id, as the teacher's labels of it will carry
   * @param text the text
   * @param label a person's label, or null when the file gives none
   */
  public record Item(String id, String text, String label) {}

  private final Map<String, Item> byId = new LinkedHashMap<>();

  ProbeSet(List<Item> items) {
    items.forEach(item -> byId.put(item.id(), item));
  }

  /** The probe texts, in file order. */
  public List<Item> items() {
    return List.copyOf(byId.values());
  }

  /** No probe: the drift probe is off. */
  public static ProbeSet none() {
    return new ProbeSet(List.of());
  }

  /** Reads and checks {@code file} against {@code codebook}'s labels. */
  public static ProbeSet load(Path file, Codebook codebook) {
    var mapper = new ObjectMapper();
    var byId = new LinkedHashMap<String, Item>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the probe file " + file, e);
    }
    for (int i = 0; i < lines.size(); i++) {
      var line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      var where = file + " line " + (i + 1) + ": ";
      JsonNode node;
      try {
        node = mapper.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException(where + "not JSON: " + e.getOriginalMessage(), e);
      }
      var id = text(node, "id");
      var text = text(node, "text");
      if (id == null || text == null) {
        throw new IllegalArgumentException(where + "needs a non-empty \"id\" and \"text\"");
      }
      var label = text(node, "label");
      if (label != null && !codebook.hasLabel(label)) {
        throw new IllegalArgumentException(
            where + "label '" + label + "' is not one of the codebook's " + codebook.labelNames());
      }
      if (byId.put(id, new Item(id, text, label)) != null) {
        throw new IllegalArgumentException(where + "id '" + id + "' appears twice");
      }
    }
    if (byId.isEmpty()) {
      throw new IllegalArgumentException("the probe file " + file + " has no texts");
    }
    return new ProbeSet(new ArrayList<>(byId.values()));
  }

  private static String text(JsonNode node, String field) {
    var value = node.get(field);
    return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
  }

  /** The probe text with this id. */
  public Optional<Item> item(String id) {
    return Optional.ofNullable(byId.get(id));
  }
}
