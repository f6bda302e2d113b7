package io.distillery.common;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A task definition: the labels with a one-line definition each, instructions and few-shot
 * examples. Its prompt version is a hash of its content (not of the file's bytes: comments and
 * layout do not change it), stamped on every teacher label so agreement and training never mix two
 * versions of a task.
 *
 * @param task the task name; also the model name
 * @param description what is being classified, in a sentence
 * @param labels the label set, in order
 * @param instructions guidance for annotators and LLM teachers
 * @param examples few-shot examples
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record Codebook(
    String task,
    String description,
    List<Label> labels,
    String instructions,
    List<Example> examples) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /**
   * @param name the label as it appears on every topic
   * @param definition one line that tells people and teachers when it applies
   */
  public record Label(String name, String definition) {}

  /**
   * @param text an example text
   * @param label its label
   */
  public record Example(String text, String label) {}

  public Codebook {
    if (task == null || task.isBlank()) {
      throw new IllegalArgumentException("codebook: 'task' is required");
    }
    if (labels == null || labels.size() < 2) {
      throw new IllegalArgumentException(
          "codebook '" + task + "': at least two labels are required");
    }
    if (labels.stream().map(Label::name).distinct().count() != labels.size()) {
      throw new IllegalArgumentException("codebook '" + task + "': label names must be unique");
    }
    description = Objects.requireNonNullElse(description, "");
    instructions = Objects.requireNonNullElse(instructions, "");
    examples = examples == null ? List.of() : List.copyOf(examples);
    labels = List.copyOf(labels);
    for (var example : examples) {
      if (labels.stream().noneMatch(l -> l.name().equals(example.label()))) {
        throw new IllegalArgumentException(
            "codebook '"
                + task
                + "': example label '"
                + example.label()
                + "' is not one of the labels");
      }
    }
  }

  /** Reads a codebook from a YAML file; the error names the file and what is wrong. */
  public static Codebook load(Path file) {
    try {
      return YAML.readValue(file.toFile(), Codebook.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read codebook " + file + ": " + e.getMessage(), e);
    }
  }

  /** The label names, in order. */
  public List<String> labelNames() {
    return labels.stream().map(Label::name).toList();
  }

  /** Whether {@code label} is one of this codebook's labels. */
  public boolean hasLabel(String label) {
    return label != null && labels.stream().anyMatch(l -> l.name().equals(label));
  }

  /** First 16 hex digits of the SHA-256 of the canonical JSON form of the content. */
  public String promptVersion() {
    try {
      var digest =
          MessageDigest.getInstance("SHA-256")
              .digest(CANONICAL.writeValueAsString(this).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
