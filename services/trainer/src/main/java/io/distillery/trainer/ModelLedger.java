package io.distillery.trainer;

import io.distillery.schema.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * The trainer's side of the models topic: every version as its newest record says ({@link
 * ModelRegistry}), publishing (each record durable before the next, then applied, its echo from the
 * topic skipped: {@link PublishedEchoes}), people's promotions and rollbacks, and the newest
 * version's number and times, which the retrain rule reads. The consuming thread, the training
 * thread and REST calls share it; each operation holds the registry's lock.
 */
final class ModelLedger {

  private static final Logger LOG = Logger.getLogger(ModelLedger.class);

  private final String topic;
  private final ModelRegistry registry = new ModelRegistry();
  private final PublishedEchoes echoes = new PublishedEchoes();
  private volatile KafkaProducer<String, ModelVersion> producer;
  private volatile long lastVersion;
  private volatile Instant lastTrainedAt = Instant.EPOCH;
  private volatile Instant lastTrainingBegan = Instant.EPOCH;

  /**
   * @param topic the models topic
   */
  ModelLedger(String topic) {
    this.topic = topic;
  }

  /** Where records are published from now on; null when the trainer stops. */
  void publishWith(KafkaProducer<String, ModelVersion> out) {
    this.producer = out;
  }

  /** A record read from the models topic, unless it is the echo of one published here. */
  void apply(ModelVersion model) {
    synchronized (registry) {
      if (!echoes.isEcho(model)) {
        record(model);
      }
    }
  }

  private void record(ModelVersion model) {
    registry.record(model);
    if (model.getVersion() >= lastVersion) {
      lastVersion = model.getVersion();
      lastTrainedAt = model.getCreatedAt();
      lastTrainingBegan = model.getCreatedAt().minusMillis(model.getTrainingMillis());
    }
  }

  /**
   * The number of the next version, taken: the newest is that one from now on, so a restart of the
   * rule does not train it twice. {@link #release} gives it back when its training fails.
   */
  long takeNextVersion() {
    synchronized (registry) {
      return ++lastVersion;
    }
  }

  /** Gives back {@code version} after its training failed and nothing was published. */
  void release(long version) {
    synchronized (registry) {
      if (lastVersion == version) {
        lastVersion = version - 1;
      }
    }
  }

  /**
   * The champion/challenger decision on a new model ({@link ModelRegistry#decide}), published.
   *
   * @return the records published
   */
  List<ModelVersion> decideAndPublish(
      ModelVersion challenger,
      Double challengerF1,
      Double championF1,
      double tolerance,
      String noComparison)
      throws ExecutionException, InterruptedException {
    return publish(
        () -> registry.decide(challenger, challengerF1, championF1, tolerance, noComparison));
  }

  /**
   * A person makes {@code version} the champion.
   *
   * @throws DecisionRefused when the version is unknown or the champion already
   */
  List<ModelVersion> promote(long version, String who)
      throws ExecutionException, InterruptedException {
    return publish(() -> registry.promote(version, who));
  }

  /**
   * A person retires {@code version}, the champion, and the one promoted before it comes back.
   *
   * @throws DecisionRefused when {@code version} is not the champion or none came before
   */
  List<ModelVersion> rollback(long version, String who)
      throws ExecutionException, InterruptedException {
    return publish(() -> registry.rollback(version, who));
  }

  /** Publishes the records {@code decide} makes, in order, each durable before the next. */
  private List<ModelVersion> publish(Supplier<List<ModelVersion>> decide)
      throws ExecutionException, InterruptedException {
    var out = producer;
    if (out == null) {
      throw new IllegalStateException("the trainer is not running");
    }
    synchronized (registry) {
      var records = decide.get();
      for (var model : records) {
        out.send(new ProducerRecord<>(topic, model.getName(), model)).get();
        echoes.published(model);
        record(model);
        LOG.infof(
            "%s v%d %s: %s",
            model.getName(),
            Long.valueOf(model.getVersion()),
            model.getStatus(),
            model.getStatusReason());
      }
      return records;
    }
  }

  /** Every model version known, oldest first, each as its newest record says. */
  List<ModelVersion> versions() {
    synchronized (registry) {
      return registry.versions();
    }
  }

  /** The model the classifiers score with. */
  Optional<ModelVersion> champion() {
    synchronized (registry) {
      return registry.champion();
    }
  }

  /** The newest version published or seen; 0 before the first. */
  long lastVersion() {
    return lastVersion;
  }

  /** When the newest version was made. */
  Instant lastTrainedAt() {
    return lastTrainedAt;
  }

  /** When the newest version's training began (its creation less its training time). */
  Instant lastTrainingBegan() {
    return lastTrainingBegan;
  }
}
