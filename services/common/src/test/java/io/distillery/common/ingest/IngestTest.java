package io.distillery.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.KafkaClients;
import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {

  @Test
  void shouldSendGoodRowsAndReportBadOnesWithTheirLineNumbers(@TempDir Path dir) throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var file = dir.resolve("texts.jsonl");
    Files.write(
        file,
        ("{\"id\":\"a\",\"text\":\"first\"}\n"
                + "{\"id\":\"b\",\"text\":\"\"}\n"
                + "not json\n"
                + "\n"
                + "{\"id\":\"c\",\"text\":\"third\",\"llm_label\":\"x\"}\n")
            .getBytes(StandardCharsets.UTF_8));
    var bytes = Files.readAllBytes(file);
    var withBadUtf8 = new byte[bytes.length + 30];
    System.arraycopy(bytes, 0, withBadUtf8, 0, bytes.length);
    var bad = "{\"id\":\"d\",\"text\":\"x\u00ff\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(bad, 0, withBadUtf8, bytes.length, bad.length);
    Files.write(file, java.util.Arrays.copyOf(withBadUtf8, bytes.length + bad.length));
    var progress = new ByteArrayOutputStream();

    Ingest.Summary summary;
    try (var producer =
        new KafkaProducer<>(
            KafkaClients.producer(cluster.bootstrapServers()),
            new StringSerializer(),
            topics.raw().valueSerde().serializer())) {
      summary =
          Ingest.run(
              file,
              producer,
              topics.raw().name(),
              new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    assertThat(summary.sent()).isEqualTo(2);
    assertThat(summary.bad()).extracting(Ingest.BadRow::line).containsExactly(2L, 3L, 6L);
    assertThat(summary.bad().get(2).reason()).contains("UTF-8");
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("100%");
    var records =
        Records.readUntil(
            cluster.bootstrapServers(), topics.raw(), Duration.ofSeconds(30), r -> r.size() >= 2);
    assertThat(records).extracting(r -> r.key()).containsExactlyInAnyOrder("a", "c");
    assertThat(records)
        .filteredOn(r -> r.key().equals("c"))
        .first()
        .satisfies(r -> assertThat(r.value().getMetadata()).containsEntry("llm_label", "x"));
  }

  @Test
  void shouldReadCsvWithAHeaderRow(@TempDir Path dir) throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var file =
        Files.writeString(
            dir.resolve("texts.csv"),
            "id,text,llm_label\n1,\"hello, world\",positive\n2,,negative\n3,bye,negative\n");

    Ingest.Summary summary;
    try (var producer =
        new KafkaProducer<>(
            KafkaClients.producer(cluster.bootstrapServers()),
            new StringSerializer(),
            topics.raw().valueSerde().serializer())) {
      summary =
          Ingest.run(
              file,
              producer,
              topics.raw().name(),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    assertThat(summary.sent()).isEqualTo(2);
    assertThat(summary.bad()).extracting(Ingest.BadRow::line).containsExactly(3L);
    var records =
        Records.readUntil(
            cluster.bootstrapServers(), topics.raw(), Duration.ofSeconds(30), r -> r.size() >= 2);
    assertThat(records)
        .extracting(r -> r.value().getText())
        .containsExactlyInAnyOrder("hello, world", "bye");
  }
}
