package io.distillery.auditor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillery.common.Codebook;
import io.distillery.common.Probes;
import io.distillery.schema.TextEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ProbeSetTest {

  private static final Codebook CODEBOOK =
      new Codebook(
          "sentiment",
          "Opinion of a film",
          List.of(
              new Codebook.Label("negative", "A negative opinion."),
              new Codebook.Label("positive", "A positive opinion.")),
          "",
          List.of());

  @TempDir Path dir;

  private ProbeSet load(String content) throws Exception {
    var file = dir.resolve("probe.jsonl");
    Files.writeString(file, content);
    return ProbeSet.load(file, CODEBOOK);
  }

  @Test
  void shouldReadTextsWithAndWithoutAPersonsLabel() throws Exception {
    var probes =
        load(
            """
            {"id": "p1", "text": "fine", "label": "positive"}
            {"id": "p2", "text": "meh"}
            """);

    assertThat(probes.items())
        .containsExactly(
            new ProbeSet.Item("p1", "fine", "positive"), new ProbeSet.Item("p2", "meh", null));
    assertThat(probes.item("p2")).isPresent();
    assertThat(probes.item("p3")).isEmpty();
  }

  @Test
  void shouldRefuseABadFileWithTheLineThatIsWrong() {
    assertThatThrownBy(() -> load("{\"id\": \"p1\", \"text\": \"x\", \"label\": \"neutral\"}"))
        .hasMessageContaining("line 1")
        .hasMessageContaining("'neutral' is not one of the codebook's");
    assertThatThrownBy(
            () -> load("{\"id\": \"p1\", \"text\": \"x\"}\n{\"id\": \"p1\", \"text\": \"y\"}"))
        .hasMessageContaining("line 2")
        .hasMessageContaining("appears twice");
    assertThatThrownBy(() -> load("{\"id\": \"p1\"}")).hasMessageContaining("\"text\"");
    assertThatThrownBy(() -> load("not json")).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> load("\n")).hasMessageContaining("has no texts");
  }

  @Test
  void shouldSendEveryProbeTextMarkedWithItsRun() throws Exception {
    var probes = load("{\"id\": \"p1\", \"text\": \"fine\"}\n{\"id\": \"p2\", \"text\": \"meh\"}");
    var serde = io.distillery.common.testing.AvroBinarySerde.topics("t").forTeacher().valueSerde();
    var producer = new MockProducer<>(true, null, new StringSerializer(), serde.serializer());
    var at = Instant.parse("2026-03-01T00:00:00Z");

    new DriftProbe(probes, producer, "t.texts.for-teacher", Clock.fixed(at, ZoneOffset.UTC)).run();

    var sent = producer.history();
    assertThat(sent).extracting(r -> r.key()).containsExactly("p1", "p2");
    assertThat(sent).allSatisfy(r -> assertThat(r.topic()).isEqualTo("t.texts.for-teacher"));
    TextEvent first = sent.get(0).value();
    assertThat(first.getText()).isEqualTo("fine");
    assertThat(first.getSource()).isEqualTo(Probes.SOURCE);
    assertThat(first.getMetadata()).containsEntry(Probes.RUN_METADATA, at.toString());
    assertThat(Probes.isProbe(first)).isTrue();
  }
}
