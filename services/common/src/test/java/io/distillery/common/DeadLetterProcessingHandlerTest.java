package io.distillery.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record whose processing throws reaches the dead-letter topic as read; the rest flows on. */
class DeadLetterProcessingHandlerTest {

  @TempDir Path dir;

  @Test
  void shouldDeadLetterTheSourceRecordWhoseProcessingThrowsAndKeepGoing() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var in = new Topic<>(topics.raw().name(), Serdes.String(), Serdes.String());
    var out = new Topic<>(topics.labeled().name(), Serdes.String(), Serdes.String());
    var builder = new StreamsBuilder();
    builder.stream(in.name(), Consumed.with(Serdes.String(), Serdes.String()))
        .mapValues(
            v -> {
              if (v.equals("boom")) {
                throw new IllegalStateException("a bug met " + v);
              }
              return v.toUpperCase(java.util.Locale.ROOT);
            })
        .to(out.name(), Produced.with(Serdes.String(), Serdes.String()));
    var props =
        KafkaClients.streams(
            cluster.bootstrapServers(),
            topics.prefix() + "-handler-test",
            dir.toString(),
            (short) 1,
            topics.dlq().name(),
            "test-role");

    try (var streams = new KafkaStreams(builder.build(), props)) {
      streams.start();
      Records.send(
          cluster.bootstrapServers(),
          in,
          List.of(
              new ProducerRecord<>(in.name(), "k1", "a"),
              new ProducerRecord<>(in.name(), "k2", "boom"),
              new ProducerRecord<>(in.name(), "k3", "b")));

      var outputs =
          Records.readUntil(
              cluster.bootstrapServers(), out, Duration.ofSeconds(60), r -> r.size() >= 2);
      assertThat(outputs).extracting(r -> r.value()).containsExactly("A", "B");
      var letters =
          Records.readUntil(
              cluster.bootstrapServers(), topics.dlq(), Duration.ofSeconds(60), r -> !r.isEmpty());
      assertThat(letters).hasSize(1);
      var letter = letters.get(0);
      assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("k2");
      assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("boom");
      assertThat(header(letter, DeadLetters.REASON))
          .contains("processing failed")
          .contains("a bug met boom");
      assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo(in.name());
      assertThat(header(letter, DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
      assertThat(header(letter, DeadLetters.ROLE)).isEqualTo("test-role");
    }
  }

  private static String header(
      org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
