package io.distillery.app.export;

import io.distillery.common.KafkaClients;
import io.distillery.common.Topic;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads a topic from its start to the end it had when the read began, committed records only,
 * without a consumer group (so it runs beside a running app and changes nothing), with progress on
 * stderr. A record that cannot be read is counted and passed over: an export of what people labeled
 * must not stop at one bad byte.
 */
final class TopicDump {

  private final String bootstrapServers;
  private final PrintStream progress;

  TopicDump(String bootstrapServers, PrintStream progress) {
    this.bootstrapServers = bootstrapServers;
    this.progress = progress;
  }

  /**
   * Hands every readable value of {@code topic} to {@code sink}, in offset order per partition.
   *
   * @return the records that could not be read
   */
  <V> long read(Topic<String, V> topic, Consumer<V> sink) {
    var deserializer = topic.valueSerde().deserializer();
    long unreadable = 0;
    try (var consumer =
        new KafkaConsumer<byte[], byte[]>(
            KafkaClients.stateReader(bootstrapServers, "distillery-export"))) {
      var partitions = new ArrayList<TopicPartition>();
      for (var info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic.name(), info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      var starts = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
      long total = 0;
      for (var p : partitions) {
        total += ends.get(p) - starts.get(p);
      }
      long read = 0;
      long lastDraw = 0;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          read++;
          if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
            continue;
          }
          if (record.value() == null) {
            continue;
          }
          try {
            sink.accept(deserializer.deserialize(record.topic(), record.value()));
          } catch (SerializationException e) {
            unreadable++;
          }
        }
        if (System.nanoTime() - lastDraw > 200_000_000L) {
          lastDraw = System.nanoTime();
          progress.printf("\r  %-40s %,d of about %,d records", topic.name(), read, total);
          progress.flush();
        }
      }
      progress.printf("\r  %-40s %,d records%s%n", topic.name(), read, " ".repeat(20));
    }
    return unreadable;
  }
}
