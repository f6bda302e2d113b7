package io.distillery.app;

import io.distillery.common.KafkaClients;
import io.distillery.common.PollLoop;
import io.distillery.common.Topics;
import io.distillery.schema.LabeledText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Feeds a {@link StreamHistory} from the topics themselves: from the first record written within
 * its retention (found by timestamp), then as records arrive. Read committed and without a group,
 * so it costs the roles nothing and a restart rebuilds the same history. Only {@code texts.labeled}
 * values are read (for their cost); the other topics are counted by record timestamp.
 */
final class StreamHistoryReader implements AutoCloseable, PollLoop.Reader {

  private final StreamHistory history;
  private final Map<String, StreamHistory.Kind> kinds = new HashMap<>();
  private final Deserializer<LabeledText> labeled;
  private final String labeledTopic;
  private final Duration retention;
  private final PollLoop loop;

  StreamHistoryReader(
      String bootstrapServers, Topics topics, StreamHistory history, Duration retention) {
    this.history = history;
    this.retention = retention;
    kinds.put(topics.raw().name(), StreamHistory.Kind.RAW);
    kinds.put(topics.scored().name(), StreamHistory.Kind.SCORED);
    kinds.put(topics.forTeacher().name(), StreamHistory.Kind.FOR_TEACHER);
    kinds.put(topics.labeled().name(), StreamHistory.Kind.LABELED);
    this.labeledTopic = topics.labeled().name();
    this.labeled = topics.labeled().valueSerde().deserializer();
    // A topic not there yet, or the broker away: the loop retries from its positions.
    this.loop =
        PollLoop.start(
            "distillery-dashboard-stream",
            KafkaClients.stateReader(bootstrapServers, "distillery-dashboard-stream"),
            this,
            PollLoop.OnError.RETRY,
            Duration.ofSeconds(1));
  }

  /** From the first record of each partition within the retention. */
  @Override
  public Map<TopicPartition, Long> start(Consumer<byte[], byte[]> consumer) {
    var partitions = new ArrayList<TopicPartition>();
    for (var topic : kinds.keySet()) {
      for (var info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    consumer.assign(partitions);
    var since = System.currentTimeMillis() - retention.toMillis();
    var query = new HashMap<TopicPartition, Long>();
    partitions.forEach(p -> query.put(p, since));
    var found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
    var ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    for (var p : partitions) {
      var at = found.get(p);
      consumer.seek(p, at == null ? ends.get(p) : at.offset());
    }
    return Map.copyOf(ends);
  }

  @Override
  public void accept(ConsumerRecord<byte[], byte[]> record) {
    var kind = kinds.get(record.topic());
    double cost = 0;
    if (kind == StreamHistory.Kind.LABELED && record.value() != null) {
      cost = costOf(record.value());
    }
    history.add(kind, record.timestamp(), cost);
  }

  /**
   * Waits until the history holds what the topics held when reading began.
   *
   * @return whether it does
   */
  boolean awaitCaughtUp(Duration timeout) {
    return loop.awaitCaughtUp(timeout);
  }

  private double costOf(byte[] value) {
    try {
      return labeled.deserialize(labeledTopic, value).getCostUsd();
    } catch (RuntimeException e) {
      // Counted still, at no cost: the history must not stop on one record it cannot read.
      return 0;
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
