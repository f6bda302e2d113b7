package io.distillery.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.Codebook;
import io.distillery.students.LabelledDataset;
import io.distillery.students.LabelledDataset.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A labelled dataset and its task: the rows of a {@code data.jsonl} file (the layout of {@code
 * ../shared/datasets}) and the codebook the teachers label under, checked once so that every later
 * step can trust them: every row has a text, a human label of the codebook and a split of {@code
 * train} or {@code test}, and both splits have rows.
 *
 * @param name the dataset's name: its directory's for a {@code data.jsonl}, else the file's
 * @param file where the rows came from
 * @param codebook labels (in the order of every table) and their definitions
 * @param codebookSource where the codebook came from, in words
 * @param rows every row, in file order
 */
public record ExperimentData(
    String name, Path file, Codebook codebook, String codebookSource, List<Row> rows) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ExperimentData {
    rows = List.copyOf(rows);
    for (var row : rows) {
      if (row.text() == null || row.text().isBlank()) {
        throw new IllegalArgumentException(file + ": row '" + row.id() + "' has no text");
      }
      if (!codebook.hasLabel(row.humanLabel())) {
        throw new IllegalArgumentException(
            file
                + ": row '"
                + row.id()
                + "' has human_label '"
                + row.humanLabel()
                + "', not one of "
                + codebook.labelNames()
                + " ("
                + codebookSource
                + ")");
      }
      if (!row.split().equals("train") && !row.split().equals("test")) {
        throw new IllegalArgumentException(
            file + ": row '" + row.id() + "' has split '" + row.split() + "', not train or test");
      }
    }
    for (var split : List.of("train", "test")) {
      if (rows.stream().noneMatch(r -> r.split().equals(split))) {
        throw new IllegalArgumentException(file + ": no row in the " + split + " split");
      }
    }
  }

  /**
   * Reads {@code file} and its codebook: {@code codebookFile} when given, else the {@code
   * meta.json} beside the data (its labels with their definitions, as the shared datasets have),
   * else the human labels alone, each its own definition.
   */
  public static ExperimentData load(Path file, Optional<Path> codebookFile) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("cannot read " + file);
    }
    var rows = LabelledDataset.read(file);
    var name = name(file);
    if (codebookFile.isPresent()) {
      return new ExperimentData(
          name, file, Codebook.load(codebookFile.get()), codebookFile.get().toString(), rows);
    }
    var meta = file.toAbsolutePath().resolveSibling("meta.json");
    if (Files.isReadable(meta)) {
      return new ExperimentData(name, file, fromMeta(name, meta), meta.toString(), rows);
    }
    var labels =
        rows.stream()
            .map(Row::humanLabel)
            .filter(l -> l != null && !l.isBlank())
            .distinct()
            .sorted()
            .map(l -> new Codebook.Label(l, l))
            .toList();
    return new ExperimentData(
        name,
        file,
        new Codebook(name, "", labels, "", List.of()),
        "the human labels of the data, without definitions",
        rows);
  }

  /** A codebook from a shared dataset's {@code meta.json}: its labels with their definitions. */
  static Codebook fromMeta(String task, Path meta) throws IOException {
    var node = JSON.readTree(meta.toFile());
    var labels = new ArrayList<Codebook.Label>();
    for (var label : node.path("labels").properties()) {
      labels.add(new Codebook.Label(label.getKey(), label.getValue().asText()));
    }
    if (labels.size() < 2) {
      throw new IllegalArgumentException(meta + ": needs an object \"labels\" of two or more");
    }
    return new Codebook(task, node.path("task").asText(""), labels, "", List.of());
  }

  /** The label names, in the codebook's order. */
  public List<String> labels() {
    return codebook.labelNames();
  }

  /** The rows of one split, in file order. */
  public List<Row> split(String split) {
    return rows.stream().filter(r -> r.split().equals(split)).toList();
  }

  private static String name(Path file) {
    var fileName = file.getFileName().toString();
    var parent = file.toAbsolutePath().getParent();
    if (fileName.equals("data.jsonl") && parent != null && parent.getFileName() != null) {
      return parent.getFileName().toString();
    }
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(0, dot) : fileName;
  }
}
