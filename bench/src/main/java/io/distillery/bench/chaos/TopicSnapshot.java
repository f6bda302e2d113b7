package io.distillery.bench.chaos;

import io.distillery.common.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * Everything committed on a topic, read from the start to its end with a read-committed consumer
 * (the end of a read-committed consumer is the last stable offset: aborted and open transactions
 * are not counted). No consumer group: nothing is committed.
 */
final class TopicSnapshot {

  private TopicSnapshot() {}

  /** Every committed record of {@code topic}, in partition then offset order. */
  static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, String topic) {
    var props = KafkaClients.stateReader(bootstrapServers, "chaos-snapshot");
    try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
      var partitions = new ArrayList<TopicPartition>();
      consumer
          .partitionsFor(topic, Duration.ofSeconds(60))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      var out = new ArrayList<ConsumerRecord<byte[], byte[]>>();
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        consumer.poll(Duration.ofMillis(500)).forEach(out::add);
      }
      return out;
    }
  }

  /** The keys of {@code records} as text; a record without a key gives null. */
  static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> text(r.key())).toList();
  }

  /** The last value of header {@code name} as text, or null. */
  static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null ? null : text(header.value());
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
