package io.distillery.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Consume, transform, produce, exactly once: every poll's outputs and its input offsets are
 * committed in one producer transaction, so a crash before the commit redoes the batch and a crash
 * after it redoes nothing. The handler turns one polled batch into its outputs (dead letters
 * included) before the transaction begins, so slow calls never hold a transaction open; it must not
 * throw for bad input, and throws {@link RetryLater} when the whole batch must wait.
 */
public final class TransactionalLoop implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TransactionalLoop.class);
  private static final Duration ABORT_PAUSE = Duration.ofSeconds(1);

  /** Turns a polled batch into the records to write; dead-letters bad input itself. */
  @FunctionalInterface
  public interface Handler {
    /**
     * The records to write for one polled batch, in order.
     *
     * @throws RetryLater when the batch cannot be handled now; it is redone after the pause
     */
    List<ProducerRecord<byte[], byte[]>> handle(List<ConsumerRecord<byte[], byte[]>> records);
  }

  /**
   * The handler cannot handle the batch now (a dependency is down, a budget is spent): the batch is
   * rolled back and redone after {@code after}, with the consumer paused meanwhile so nothing piles
   * up in memory.
   */
  public static final class RetryLater extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Duration after;

    public RetryLater(String message, Duration after, Throwable cause) {
      super(message, cause);
      this.after = after;
    }

    /** How long to wait before the batch is tried again. */
    public Duration after() {
      return after;
    }
  }

  private final String name;
  private final List<String> topics;
  private final Properties consumerProps;
  private final Properties producerProps;
  private final Handler handler;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private volatile long processed;
  private volatile String failure;
  private volatile String waiting;
  private long resumeAt = System.nanoTime();
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  /**
   * @param name thread and transactional id base
   * @param bootstrapServers the cluster
   * @param groupId consumer group
   * @param topics input topics
   * @param handler the transformation
   */
  public TransactionalLoop(
      String name, String bootstrapServers, String groupId, List<String> topics, Handler handler) {
    this(name, bootstrapServers, groupId, topics, handler, 500);
  }

  /**
   * @param maxPollRecords largest batch handed to the handler: what may be in memory at once
   */
  public TransactionalLoop(
      String name,
      String bootstrapServers,
      String groupId,
      List<String> topics,
      Handler handler,
      int maxPollRecords) {
    this.name = name;
    this.topics = List.copyOf(topics);
    this.handler = handler;
    this.consumerProps = KafkaClients.transactionalConsumer(bootstrapServers, groupId);
    this.consumerProps.put(
        org.apache.kafka.clients.consumer.ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    // One transactional id per instance: a second replica must not fence the first. HOSTNAME is the
    // pod name in a cluster, stable across restarts, so a restarted pod fences its own old self.
    var instance = System.getenv().getOrDefault("HOSTNAME", "local");
    this.producerProps =
        KafkaClients.transactionalProducer(bootstrapServers, groupId + "-" + name + "-" + instance);
  }

  /** Starts the loop on its own thread. */
  public void start() {
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the loop has joined its group and is polling. */
  public boolean ready() {
    return ready.get() && failure == null;
  }

  /** Records handled and committed so far. */
  public long processed() {
    return processed;
  }

  /** Why the loop is waiting before it retries a batch, or null when it is not. */
  public String waiting() {
    return waiting;
  }

  /** Why the loop stopped, or null while it runs. */
  public String failure() {
    return failure;
  }

  private void run() {
    try (var consumer = new KafkaConsumer<byte[], byte[]>(consumerProps);
        var producer = new KafkaProducer<byte[], byte[]>(producerProps)) {
      this.consumer = consumer;
      producer.initTransactions();
      consumer.subscribe(topics);
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(Duration.ofMillis(500));
        } catch (WakeupException e) {
          break;
        }
        ready.set(true);
        if (!consumer.paused().isEmpty() && System.nanoTime() - resumeAt >= 0) {
          consumer.resume(consumer.paused());
          waiting = null;
        }
        if (records.isEmpty()) {
          continue;
        }
        processBatch(consumer, producer, records);
      }
    } catch (ProducerFencedException | AuthorizationException e) {
      failure = DeadLetters.reason("fatal", e);
      LOG.errorf(e, "%s stopped: %s", name, failure);
    } catch (RuntimeException e) {
      if (running.get()) {
        failure = DeadLetters.reason("fatal", e);
        LOG.errorf(e, "%s stopped: %s", name, failure);
      }
    } finally {
      ready.set(false);
    }
  }

  private void processBatch(
      KafkaConsumer<byte[], byte[]> consumer,
      KafkaProducer<byte[], byte[]> producer,
      ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    var batch = new ArrayList<ConsumerRecord<byte[], byte[]>>(records.count());
    for (var record : records) {
      var partition = new TopicPartition(record.topic(), record.partition());
      firstOffsets.putIfAbsent(partition, record.offset());
      offsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
      batch.add(record);
    }
    List<ProducerRecord<byte[], byte[]>> outputs;
    try {
      outputs = handler.handle(batch);
    } catch (RetryLater e) {
      // Nothing was sent: rewind, pause, and poll (which keeps the group membership) until due.
      LOG.warnf("%s: %s; retrying the batch in %s", name, e.getMessage(), e.after());
      waiting = e.getMessage();
      firstOffsets.forEach(consumer::seek);
      consumer.pause(consumer.assignment());
      resumeAt = System.nanoTime() + e.after().toNanos();
      return;
    }
    producer.beginTransaction();
    try {
      for (var out : outputs) {
        producer.send(out);
      }
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      commit(producer);
      processed += records.count();
    } catch (ProducerFencedException e) {
      throw e;
    } catch (KafkaException e) {
      // Abort and rewind: the batch is redone, and the aborted outputs are invisible to
      // read_committed readers.
      LOG.warnf(e, "%s: transaction aborted, retrying the batch", name);
      producer.abortTransaction();
      firstOffsets.forEach(consumer::seek);
      // Not at once: an error that repeats must not become a hot loop.
      consumer.pause(consumer.assignment());
      resumeAt = System.nanoTime() + ABORT_PAUSE.toNanos();
    }
  }

  /**
   * Commits; a timeout leaves the outcome open, and the producer allows the commit to be retried.
   */
  private static void commit(KafkaProducer<byte[], byte[]> producer) {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.commitTransaction();
        return;
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        if (attempt == 5) {
          throw new IllegalStateException("commit timed out " + attempt + " times", e);
        }
        LOG.warnf("commit timed out (attempt %d); retrying", Integer.valueOf(attempt));
      }
    }
  }

  @Override
  public void close() {
    running.set(false);
    var current = consumer;
    if (current != null) {
      current.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
