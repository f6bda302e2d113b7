package io.distillery.common;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * A consumer read on a thread of its own until closed: what the state readers (the trainer, the
 * review queue, the dashboard's stream history) share. It owns the thread, the consumer, the poll,
 * the caught-up signal, the wake-up on close, skipping a record that cannot be read, and what an
 * error does to the loop; a {@link Reader} says where to start and what a record means.
 *
 * <p>Hand-written because the roles' own loops are Kafka Streams topologies or {@link
 * TransactionalLoop}s; these readers keep state in memory from topics read at every start, with no
 * group offsets and no output, which neither Kafka Streams (a store per reader, changelog topics)
 * nor a framework's consumer (SmallRye Reactive Messaging commits offsets and owns the threading)
 * fits.
 */
public final class PollLoop implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PollLoop.class);

  /** What the loop reads and what it makes of it; every method runs on the loop's thread. */
  public interface Reader {
    /**
     * Assigns or subscribes and seeks. Again after an error, under {@link OnError#RETRY}, until it
     * returns once.
     *
     * @return the offsets that, once every position reaches them, mean caught up; empty for caught
     *     up at once
     */
    Map<TopicPartition, Long> start(Consumer<byte[], byte[]> consumer);

    /** Before each poll, for pausing or resuming partitions. */
    default void beforePoll(Consumer<byte[], byte[]> consumer) {}

    /** One record; a {@link RuntimeException} skips it, logged with where it was. */
    void accept(ConsumerRecord<byte[], byte[]> record);

    /** After each poll's records. */
    default void afterPoll(boolean caughtUp) {}
  }

  /** What an error of the consumer (not of one record) does. */
  public enum OnError {
    /** The loop stops; {@link #error()} says why. */
    STOP,
    /** The loop waits {@link #RETRY_PAUSE} and goes on from its positions. */
    RETRY
  }

  /** How long {@link OnError#RETRY} waits after an error. */
  public static final Duration RETRY_PAUSE = Duration.ofSeconds(5);

  private final String name;
  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final Reader reader;
  private final OnError onError;
  private final Duration pollTimeout;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Consumer<byte[], byte[]> consumer;
  private volatile String error;

  private PollLoop(
      String name,
      Supplier<Consumer<byte[], byte[]>> consumers,
      Reader reader,
      OnError onError,
      Duration pollTimeout) {
    this.name = name;
    this.consumers = consumers;
    this.reader = reader;
    this.onError = onError;
    this.pollTimeout = pollTimeout;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  /**
   * Starts reading on a daemon thread named {@code name}.
   *
   * @param settings the consumer's, with byte-array deserializers ({@link KafkaClients})
   */
  public static PollLoop start(
      String name, Properties settings, Reader reader, OnError onError, Duration pollTimeout) {
    return start(name, () -> new KafkaConsumer<>(settings), reader, onError, pollTimeout);
  }

  /**
   * Starts reading on a daemon thread named {@code name}, through the consumer {@code consumers}
   * makes on that thread (a test's {@code MockConsumer}); the loop owns and closes it.
   */
  public static PollLoop start(
      String name,
      Supplier<Consumer<byte[], byte[]>> consumers,
      Reader reader,
      OnError onError,
      Duration pollTimeout) {
    var loop = new PollLoop(name, consumers, reader, onError, pollTimeout);
    loop.thread.start();
    return loop;
  }

  private void run() {
    try (var c = consumers.get()) {
      consumer = c;
      if (!running) {
        return;
      }
      Map<TopicPartition, Long> ends = null;
      while (running) {
        try {
          if (ends == null) {
            ends = reader.start(c);
          }
          reader.beforePoll(c);
          for (var record : c.poll(pollTimeout)) {
            try {
              reader.accept(record);
            } catch (RuntimeException e) {
              LOG.warnf(
                  "%s skips %s-%d@%d: %s",
                  name,
                  record.topic(),
                  Integer.valueOf(record.partition()),
                  Long.valueOf(record.offset()),
                  e.getMessage());
            }
          }
          if (caughtUp.getCount() > 0 && reached(c, ends)) {
            caughtUp.countDown();
          }
          reader.afterPoll(caughtUp.getCount() == 0);
        } catch (WakeupException e) {
          if (running) {
            stopOrPause(e);
          }
        } catch (RuntimeException e) {
          if (!stopOrPause(e)) {
            return;
          }
        }
      }
    } catch (RuntimeException e) {
      // The consumer could not be made (bad settings): nothing to retry.
      error = e.toString();
      LOG.errorf(e, "%s stopped", name);
    }
  }

  /**
   * @return whether to go on
   */
  private boolean stopOrPause(RuntimeException e) {
    if (onError == OnError.STOP) {
      error = e.toString();
      running = false;
      LOG.errorf(e, "%s stopped", name);
      return false;
    }
    // A topic not there yet, or the broker away longer than a request's timeout: the positions
    // are kept, so nothing is read twice.
    LOG.warnf("%s is behind (%s); retrying in %s", name, e.toString(), RETRY_PAUSE);
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      running = false;
    }
    return running;
  }

  /**
   * Reads on the calling thread from where {@code consumer} stands until every position reaches
   * {@code ends}, the records at or past them left unread: what the one-off readers (an export, a
   * relabel, the teacher cache's load) do.
   *
   * @param afterPoll run after each poll's records (progress)
   */
  public static void readToEnd(
      Consumer<byte[], byte[]> consumer,
      Map<TopicPartition, Long> ends,
      java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler,
      Runnable afterPoll) {
    while (!reached(consumer, ends)) {
      for (var record : consumer.poll(Duration.ofMillis(500))) {
        var end = ends.get(new TopicPartition(record.topic(), record.partition()));
        if (end == null || record.offset() < end) {
          handler.accept(record);
        }
      }
      afterPoll.run();
    }
  }

  private static boolean reached(Consumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
  }

  /** Whether every position has reached where the topics ended when reading began. */
  public boolean caughtUp() {
    return caughtUp.getCount() == 0;
  }

  /**
   * Waits until caught up.
   *
   * @return whether it is
   */
  public boolean awaitCaughtUp(Duration timeout) {
    try {
      return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The error that stopped the loop; empty while it runs. */
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  /** Stops reading: wakes the consumer, waits up to 30 s for the thread, which closes it. */
  @Override
  public void close() {
    running = false;
    var c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
