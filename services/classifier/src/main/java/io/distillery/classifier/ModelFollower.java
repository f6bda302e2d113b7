package io.distillery.classifier;

import io.distillery.common.DeadLetters;
import io.distillery.common.KafkaClients;
import io.distillery.common.PollLoop;
import io.distillery.common.Topics;
import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

/**
 * Follows the models topic and hands each version of the classifier's model to the {@link
 * ModelHolder}. It reads the whole topic from the beginning on every start, with no consumer group
 * (every classifier instance needs every version, and the topic is small and compacted), and only
 * committed records, on a {@link PollLoop} that stops on a consumer error (then {@link #failure()}
 * says why and the classifier's health is down).
 *
 * <p>While catching up with the topic it only collects promoted versions; once caught up it loads
 * the newest, falling back to older ones only if the newest cannot be loaded, so a restart does not
 * load every version ever published. After that each new version is offered as it arrives. {@link
 * #ready()} turns true once the catch-up is done.
 */
public final class ModelFollower implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ModelFollower.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Deserializer<ModelVersion> deserializer;
  private final ModelHolder holder;
  private volatile boolean ready;
  private PollLoop loop;
  private boolean closed;

  /**
   * A follower of {@code topics.models()} on the cluster at {@code bootstrapServers}.
   *
   * @param holder receives the versions named {@link ModelHolder#modelName()}
   */
  public ModelFollower(String bootstrapServers, Topics topics, ModelHolder holder) {
    this(
        new KafkaConsumer<>(
            KafkaClients.stateReader(bootstrapServers, "distillery-classifier-models")),
        topics.models().name(),
        topics.models().valueSerde().deserializer(),
        holder);
  }

  /** A follower reading through {@code consumer}, which it owns and closes. */
  ModelFollower(
      Consumer<byte[], byte[]> consumer,
      String topic,
      Deserializer<ModelVersion> deserializer,
      ModelHolder holder) {
    this.consumer = consumer;
    this.topic = topic;
    this.deserializer = deserializer;
    this.holder = holder;
  }

  /** Starts following on a daemon thread. */
  public synchronized void start() {
    if (loop != null || closed) {
      throw new IllegalStateException(loop != null ? "already started" : "closed");
    }
    loop =
        PollLoop.start(
            "classifier-model-follower", () -> consumer, new Reader(), PollLoop.OnError.STOP, POLL);
  }

  /**
   * Whether the follower has read the topic up to where it ended at start, and is still running.
   */
  public boolean ready() {
    return ready && failure() == null;
  }

  /** Why the follower stopped, or null while it runs. */
  public synchronized String failure() {
    return loop == null ? null : loop.error().map(e -> "model follower stopped: " + e).orElse(null);
  }

  /** What the follower makes of the models topic, on the loop's thread. */
  private final class Reader implements PollLoop.Reader {

    private List<ModelVersion> backlog = new ArrayList<>();

    @Override
    public Map<TopicPartition, Long> start(Consumer<byte[], byte[]> c) {
      var partitions = awaitPartitions(c);
      c.assign(partitions);
      c.seekToBeginning(partitions);
      return c.endOffsets(partitions);
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record) {
      var version = decode(record);
      if (version == null) {
        return;
      }
      if (ready) {
        holder.offer(version);
      } else if (version.getStatus() == ModelStatus.PROMOTED) {
        backlog.add(version);
      }
    }

    @Override
    public void afterPoll(boolean caughtUp) {
      if (ready || !caughtUp) {
        return;
      }
      loadChampion(backlog);
      backlog = List.of();
      ready = true;
      LOG.infof(
          "classifier: caught up with %s, %s",
          topic,
          holder
              .current()
              .map(m -> "using " + m.name() + " v" + m.version())
              .orElse("no promoted model yet"));
    }
  }

  /**
   * The topic's partitions, waiting for the topic to exist. A close wakes the consumer, so the next
   * {@code partitionsFor} ends the wait.
   */
  private List<TopicPartition> awaitPartitions(Consumer<byte[], byte[]> c) {
    while (true) {
      try {
        var infos = c.partitionsFor(topic, Duration.ofSeconds(5));
        if (infos != null && !infos.isEmpty()) {
          return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        }
        LOG.infof("classifier: waiting for topic %s", topic);
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        LOG.infof("classifier: waiting for topic %s: %s", topic, e.getMessage());
      }
      try {
        Thread.sleep(RETRY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new org.apache.kafka.common.errors.InterruptException(e);
      }
    }
  }

  /** Offers the backlog newest first, stopping at the first version that loads. */
  private void loadChampion(List<ModelVersion> backlog) {
    // The last promotion in topic order is the champion (a rollback promotes an older version
    // again); when it cannot be loaded, the one promoted before it.
    var candidates = new ArrayList<>(backlog);
    Collections.reverse(candidates);
    for (var version : candidates) {
      if (holder.offer(version)) {
        return;
      }
    }
  }

  /**
   * The version in {@code record}, or null for a tombstone or a record that is not a model version.
   */
  private ModelVersion decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    try {
      return deserializer.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      // Nothing to dead-letter: this reader replays the topic on every start and is not the topic's
      // consumer of record; the trainer that wrote it owns the fix.
      LOG.errorf(
          "classifier: skipping %s-%d@%d: %s",
          record.topic(),
          Integer.valueOf(record.partition()),
          Long.valueOf(record.offset()),
          DeadLetters.reason("not a ModelVersion", e));
      return null;
    }
  }

  /** Stops the loop, which closes the consumer; waits for it up to 30 s. */
  @Override
  public void close() {
    PollLoop running;
    synchronized (this) {
      running = loop;
      closed = true;
    }
    ready = false;
    if (running == null) {
      consumer.close();
      return;
    }
    running.close();
  }
}
