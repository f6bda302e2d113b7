package io.distillery.app.review;

import io.distillery.app.RoleSupervisor;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
import io.distillery.common.PollLoop;
import io.distillery.common.Topic;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;

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

  private static final String GROUP = "distillery-review-page";

  private final RoleSupervisor supervisor;
  private final DistilleryConfig config;
  private final PendingReviews pending = new PendingReviews(CAPACITY);
  // Verdicts this process wrote and already applied; their echo from the topic is ignored, or a
  // label read back after its undo would take the item off the queue again.
  private final Set<String> ownWrites = ConcurrentHashMap.newKeySet();
  private volatile PollLoop loop;
  private volatile KafkaProducer<String, ReviewVerdict> producer;

  ReviewQueue(RoleSupervisor supervisor, DistilleryConfig config) {
    this.supervisor = supervisor;
    this.config = config;
  }

  void start(
      @Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000)
          StartupEvent event) {
    var bootstrap = config.kafka().bootstrapServers();
    producer =
        new KafkaProducer<>(
            KafkaClients.producer(bootstrap),
            new StringSerializer(),
            supervisor.topics().reviewVerdicts().valueSerde().serializer());
    loop =
        PollLoop.start(
            "review queue",
            KafkaClients.transactionalConsumer(bootstrap, GROUP),
            new Reader(),
            PollLoop.OnError.STOP,
            Duration.ofMillis(500));
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    if (loop != null) {
      loop.close();
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

  /** Both topics from the start (the group commits nothing); requests paused while full. */
  private final class Reader implements PollLoop.Reader {
    private final Topic<String, ReviewRequest> requestsTopic = supervisor.topics().reviewRequests();
    private final Topic<String, ReviewVerdict> verdictsTopic = supervisor.topics().reviewVerdicts();
    private final Deserializer<ReviewRequest> requests = requestsTopic.valueSerde().deserializer();
    private final Deserializer<ReviewVerdict> verdicts = verdictsTopic.valueSerde().deserializer();

    @Override
    public Map<TopicPartition, Long> start(Consumer<byte[], byte[]> consumer) {
      consumer.subscribe(List.of(requestsTopic.name(), verdictsTopic.name()));
      return Map.of();
    }

    @Override
    public void beforePoll(Consumer<byte[], byte[]> consumer) {
      var fromRequests =
          consumer.assignment().stream()
              .filter(p -> p.topic().equals(requestsTopic.name()))
              .toList();
      if (pending.full()) {
        consumer.pause(fromRequests);
      } else {
        consumer.resume(fromRequests);
      }
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record) {
      if (record.topic().equals(requestsTopic.name())) {
        pending.offer(requests.deserialize(record.topic(), record.value()));
      } else {
        var verdict = verdicts.deserialize(record.topic(), record.value());
        if (!ownWrites.remove(key(verdict))) {
          pending.apply(verdict);
        }
      }
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
