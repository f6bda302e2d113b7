package io.distillery.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodebookTest {

  private static final String BOOK =
      """
      task: t
      labels:
        - {name: yes, definition: it is}
        - {name: no, definition: it is not}
      instructions: decide
      examples:
        - {text: "sure", label: yes}
      """;

  @Test
  void shouldKeepThePromptVersionWhenOnlyLayoutAndCommentsChange(@TempDir Path dir)
      throws Exception {
    var a = Files.writeString(dir.resolve("a.yaml"), BOOK);
    var b =
        Files.writeString(
            dir.resolve("b.yaml"),
            "# a comment\n"
                + BOOK.replace(
                    "{name: yes, definition: it is}", "\n    name: yes\n    definition: it is"));

    assertThat(Codebook.load(a).promptVersion())
        .isEqualTo(Codebook.load(b).promptVersion())
        .hasSize(16);
  }

  @Test
  void shouldChangeThePromptVersionWhenADefinitionChanges(@TempDir Path dir) throws Exception {
    var a = Files.writeString(dir.resolve("a.yaml"), BOOK);
    var b = Files.writeString(dir.resolve("b.yaml"), BOOK.replace("it is not", "it is surely not"));

    assertThat(Codebook.load(a).promptVersion()).isNotEqualTo(Codebook.load(b).promptVersion());
  }

  @Test
  void shouldRejectAnExampleWithAnUnknownLabel(@TempDir Path dir) throws Exception {
    var file =
        Files.writeString(dir.resolve("a.yaml"), BOOK.replace("label: yes}", "label: maybe}"));

    assertThatThrownBy(() -> Codebook.load(file))
        .hasMessageContaining("maybe")
        .hasMessageContaining("a.yaml");
  }

  @Test
  void shouldLoadTheSampleCodebook() {
    var book = Codebook.load(Path.of("../../examples/codebook.yaml"));

    assertThat(book.labelNames()).containsExactly("positive", "negative");
    assertThat(book.task()).isEqualTo("review-sentiment");
  }
}
