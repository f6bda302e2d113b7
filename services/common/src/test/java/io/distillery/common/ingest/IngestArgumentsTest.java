package io.distillery.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillery.common.CommandLines;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ./distillery ingest}'s command line, read by {@link CommandLines} (picocli). */
class IngestArgumentsTest {

  @Test
  void shouldReadTheFile() {
    var arguments = CommandLines.parse(new Ingest.Arguments(), "texts.jsonl").orElseThrow();

    assertThat(arguments.file).isEqualTo(Path.of("texts.jsonl"));
  }

  @Test
  void shouldAnswerHelpWithTheUsage() {
    assertThat(CommandLines.parse(new Ingest.Arguments(), "--help")).isEmpty();
    assertThat(CommandLines.usage(new Ingest.Arguments()))
        .contains("distillery ingest")
        .contains("FILE");
  }

  @Test
  void shouldSayWhatIsWrongWithTheArguments() {
    assertThatThrownBy(() -> CommandLines.parse(new Ingest.Arguments()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Missing required parameter")
        .hasMessageContaining("FILE");
    assertThatThrownBy(() -> CommandLines.parse(new Ingest.Arguments(), "a.jsonl", "b.jsonl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("b.jsonl");
    assertThatThrownBy(() -> CommandLines.parse(new Ingest.Arguments(), "--fast", "a.jsonl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown option: '--fast'");
  }
}
