package io.distillery.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextEventParserTest {

  private final TextEventParser parser = new TextEventParser("file.jsonl");

  @Test
  void shouldMapKnownFieldsAndKeepTheRestAsMetadata() {
    var event =
        parser.parseJson(
            "{\"id\": 7, \"text\": \"hi\", \"created_at\": \"2026-01-02T03:04:05Z\", \"llm_label\": \"pos\", \"score\": 0.5, \"none\": null}");

    assertThat(event.getId()).isEqualTo("7");
    assertThat(event.getSource()).isEqualTo("file.jsonl");
    assertThat(event.getCreatedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(event.getMetadata())
        .containsExactlyInAnyOrderEntriesOf(Map.of("llm_label", "pos", "score", "0.5"));
  }

  @Test
  void shouldGiveATextWithoutAnIdTheSameIdEveryTime() {
    assertThat(parser.parseJson("{\"text\": \"same\"}").getId())
        .isEqualTo(parser.parseJson("{\"text\": \"same\"}").getId())
        .startsWith("sha256-");
  }

  @Test
  void shouldRejectRowsWithAReasonAPersonCanActOn() {
    assertThatThrownBy(() -> parser.parseJson("{\"text\": \"  \"}"))
        .hasMessageContaining("empty 'text'");
    assertThatThrownBy(() -> parser.parseJson("{\"id\": 1}")).hasMessageContaining("missing");
    assertThatThrownBy(() -> parser.parseJson("{not json")).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> parser.parseJson("[1]")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> parser.parseJson("{\"text\": 42}"))
        .hasMessage("'text' must be a JSON string, got a number");
    assertThatThrownBy(() -> parser.parseJson("{\"text\": {\"body\": \"hi\"}}"))
        .hasMessage("'text' must be a JSON string, got an object");
    assertThatThrownBy(() -> parser.parseJson("{\"text\": \"a\", \"created_at\": \"yesterday\"}"))
        .hasMessageContaining("created_at");
    assertThatThrownBy(
            () ->
                parser.parseJson(
                    "{\"text\": \"" + "x".repeat(TextEventParser.MAX_TEXT_CHARS + 1) + "\"}"))
        .hasMessageContaining("more than");
    assertThatThrownBy(() -> parser.fromFields(Map.of("text", "bad \uFFFD bytes")))
        .hasMessageContaining("UTF-8");
  }
}
