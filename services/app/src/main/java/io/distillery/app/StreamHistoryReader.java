package io.distillery.app;

import io.distillery.common.KafkaClients;
import io.distillery.common.Topics;
import io.distillery.schema.LabeledText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

/**
 * Feeds a {@link StreamHistory} from the topics themselves: from the first record written within
 * its retention (found by timestamp), then as records arrive. Read committed and without a group,
 * so it costs the roles nothing and a restart rebuilds the same history. Only {@code texts.labeled}
 * values are read (for their cost); the other topics are counted by record timestamp.
 */
final class StreamHistoryReader implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StreamHistoryReader.class);

  private final StreamHistory history;
  private final Map<String, StreamHistory.Kind> kinds = new HashMap<>();
  private final Deserializer<LabeledText> labeled;
  private final String labeledTopic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration retention;
  private final Thread thread;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private Map<TopicPartition, Long> endsAtStart = Map.of();
  private volatile boolean running = true;

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
    this.consumer =
        new KafkaConsumer<>(
            KafkaClients.stateReader(bootstrapServers, "distillery-dashboard-stream"));
    this.thread = new Thread(this::run, "distillery-dashboard-stream");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      var assigned = false;
      while (running) {
        try {
          if (!assigned) {
            seekToRetention();
            assigned = true;
          }
          for (var record : consumer.poll(Duration.ofSeconds(1))) {
            var kind = kinds.get(record.topic());
            double cost = 0;
            if (kind == StreamHistory.Kind.LABELED && record.value() != null) {
              cost = costOf(record.value());
            }
            history.add(kind, record.timestamp(), cost);
          }
          if (caughtUp.getCount() > 0
              && endsAtStart.entrySet().stream()
                  .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            caughtUp.countDown();
          }
        } catch (WakeupException e) {
          return;
        } catch (RuntimeException e) {
          // A topic not there yet, or the broker away longer than a request's timeout: the
          // position is kept, so nothing is counted twice.
          LOG.warnf("the dashboard's stream history is behind (%s); retrying", e.toString());
          pause();
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void seekToRetention() {
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
    endsAtStart = Map.copyOf(ends);
    for (var p : partitions) {
      var at = found.get(p);
      consumer.seek(p, at == null ? ends.get(p) : at.offset());
    }
  }

  /**
   * Waits until the history holds what the topics held when reading began.
   *
   * @return whether it does
   */
  boolean awaitCaughtUp(Duration timeout) {
    try {
      return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private double costOf(byte[] value) {
    try {
      return labeled.deserialize(labeledTopic, value).getCostUsd();
    } catch (RuntimeException e) {
      // Counted still, at no cost: the history must not stop on one record it cannot read.
      return 0;
    }
  }

  private void pause() {
    try {
      Thread.sleep(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
