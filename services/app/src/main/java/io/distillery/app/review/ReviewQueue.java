package io.distillery.app.review;

import io.distillery.app.RoleSupervisor;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Keeps {@link PendingReviews} in step with the review requests and verdicts topics, and writes the
 * answers given on the page. One consumer thread (group {@code distillery-review-page},
 * read-committed) reads both topics from the start at every startup and commits nothing: the queue
 * is rebuilt from the topics, so labeled items stay answered across restarts. Reading requests
 * pauses while the queue is full. Started after the roles (the supervisor has the default priority,
 * APPLICATION + 500), so topics and codebook exist.
 */
@ApplicationScoped
public class ReviewQueue {

  /** The most pending items held in memory. */
  static final int CAPACITY = 10_000;

  private static final Logger LOG = Logger.getLogger(ReviewQueue.class);
  private static final String GROUP = "distillery-review-page";

  private final RoleSupervisor supervisor;
  private final DistilleryConfig config;
  private final PendingReviews pending = new PendingReviews(CAPACITY);
  // Verdicts this process wrote and already applied; their echo from the topic is ignored, or a
  // label read back after its undo would take the item off the queue again.
  private final Set<String> ownWrites = ConcurrentHashMap.newKeySet();
  private volatile boolean running;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile KafkaProducer<String, ReviewVerdict> producer;
  private Thread thread;

  ReviewQueue(RoleSupervisor supervisor, DistilleryConfig config) {
    this.supervisor = supervisor;
    this.config = config;
  }

  void start(
      @Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000)
          StartupEvent event) {
    var bootstrap = config.kafka().bootstrapServers();
    consumer = new KafkaConsumer<>(KafkaClients.transactionalConsumer(bootstrap, GROUP));
    producer =
        new KafkaProducer<>(
            KafkaClients.producer(bootstrap),
            new StringSerializer(),
            supervisor.topics().reviewVerdicts().valueSerde().serializer());
    running = true;
    thread = new Thread(this::run, "review-queue");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      thread.join(Duration.ofSeconds(10).toMillis());
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  /** The pending items and answers. */
  public PendingReviews pending() {
    return pending;
  }

  /** Writes a verdict given on the page and applies it at once. */
  public void answer(ReviewVerdict verdict) throws InterruptedException, ExecutionException {
    write(verdict);
    pending.answer(verdict);
  }

  /**
   * Withdraws {@code reviewer}'s last answer with a skipped verdict and puts the item back at the
   * head of their queue.
   *
   * @param withdrawal the skipped verdict to write, built for the item undone
   * @return the item undone; empty when there was nothing to undo
   */
  public Optional<ReviewRequest> undo(
      String reviewer, Function<ReviewRequest, ReviewVerdict> withdrawal)
      throws InterruptedException, ExecutionException {
    var undone = pending.undo(reviewer);
    if (undone.isPresent()) {
      write(withdrawal.apply(undone.get()));
    }
    return undone;
  }

  private void write(ReviewVerdict verdict) throws InterruptedException, ExecutionException {
    ownWrites.add(key(verdict));
    var topic = supervisor.topics().reviewVerdicts().name();
    producer.send(new ProducerRecord<>(topic, verdict.getId(), verdict)).get();
  }

  private void run() {
    var topics = supervisor.topics();
    var requestsTopic = topics.reviewRequests();
    var verdictsTopic = topics.reviewVerdicts();
    var requests = requestsTopic.valueSerde().deserializer();
    var verdicts = verdictsTopic.valueSerde().deserializer();
    try (var c = consumer) {
      c.subscribe(List.of(requestsTopic.name(), verdictsTopic.name()));
      while (running) {
        var fromRequests =
            c.assignment().stream().filter(p -> p.topic().equals(requestsTopic.name())).toList();
        if (pending.full()) {
          c.pause(fromRequests);
        } else {
          c.resume(fromRequests);
        }
        for (ConsumerRecord<byte[], byte[]> record : c.poll(Duration.ofMillis(500))) {
          try {
            if (record.topic().equals(requestsTopic.name())) {
              pending.offer(requests.deserialize(record.topic(), record.value()));
            } else {
              var verdict = verdicts.deserialize(record.topic(), record.value());
              if (!ownWrites.remove(key(verdict))) {
                pending.apply(verdict);
              }
            }
          } catch (RuntimeException e) {
            LOG.warnf(
                "review queue: skipped unreadable record %s-%d@%d: %s",
                record.topic(), record.partition(), record.offset(), e.getMessage());
          }
        }
      }
    } catch (WakeupException e) {
      if (running) {
        LOG.error("review queue: consumer woken up while running", e);
      }
    } catch (RuntimeException e) {
      LOG.error("review queue: consumer stopped", e);
    }
  }

  private static String key(ReviewVerdict v) {
    return v.getReviewer()
        + '\u0000'
        + v.getId()
        + '\u0000'
        + v.getDecidedAt().toEpochMilli()
        + '\u0000'
        + v.getSkipped();
  }
}
