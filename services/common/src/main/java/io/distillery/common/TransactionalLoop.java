package io.distillery.common;

import java.time.Duration;
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
 * after it redoes nothing. The handler turns one input record into its outputs (dead letters
 * included) and must not throw for bad input.
 */
public final class TransactionalLoop implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TransactionalLoop.class);

  /** Turns one input record into the records to write; dead-letters bad input itself. */
  @FunctionalInterface
  public interface Handler {
    List<ProducerRecord<byte[], byte[]>> handle(ConsumerRecord<byte[], byte[]> record);
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
    this.name = name;
    this.topics = List.copyOf(topics);
    this.handler = handler;
    this.consumerProps = KafkaClients.transactionalConsumer(bootstrapServers, groupId);
    this.producerProps = KafkaClients.transactionalProducer(bootstrapServers, groupId + "-" + name);
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
    producer.beginTransaction();
    try {
      for (var record : records) {
        var partition = new TopicPartition(record.topic(), record.partition());
        firstOffsets.putIfAbsent(partition, record.offset());
        for (var out : handler.handle(record)) {
          producer.send(out);
        }
        offsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
      }
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      producer.commitTransaction();
      processed += records.count();
    } catch (ProducerFencedException e) {
      throw e;
    } catch (KafkaException e) {
      // Abort and rewind: the batch is redone, and the aborted outputs are invisible to
      // read_committed readers.
      LOG.warnf(e, "%s: transaction aborted, retrying the batch", name);
      producer.abortTransaction();
      firstOffsets.forEach(consumer::seek);
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
