package io.distillery.app.export;

import io.distillery.common.KafkaClients;
import io.distillery.common.PollLoop;
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
      long total = partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
      long[] read = {0};
      long[] unread = {0};
      long[] lastDraw = {0};
      PollLoop.readToEnd(
          consumer,
          ends,
          record -> {
            read[0]++;
            if (record.value() == null) {
              return;
            }
            try {
              sink.accept(deserializer.deserialize(record.topic(), record.value()));
            } catch (SerializationException e) {
              unread[0]++;
            }
          },
          () -> {
            if (System.nanoTime() - lastDraw[0] > 200_000_000L) {
              lastDraw[0] = System.nanoTime();
              progress.printf("\r  %-40s %,d of about %,d records", topic.name(), read[0], total);
              progress.flush();
            }
          });
      unreadable = unread[0];
      progress.printf("\r  %-40s %,d records%s%n", topic.name(), read[0], " ".repeat(20));
    }
    return unreadable;
  }
}
