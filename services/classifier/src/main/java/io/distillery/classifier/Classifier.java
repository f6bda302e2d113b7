package io.distillery.classifier;

import io.distillery.common.Codebook;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
import io.distillery.common.Role;
import io.distillery.common.RoleName;
import io.distillery.common.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jboss.logging.Logger;

/**
 * The classifier role: scores every raw text with the newest promoted student of the codebook's
 * task and writes the result to the scored topic, exactly once (Kafka Streams, EOS v2). Texts that
 * arrive before any model is promoted wait in a state store and are scored, in order, when one
 * appears; unreadable or unfit texts go to the dead-letter topic. Models are hot-swapped without a
 * restart as the trainer promotes them.
 */
public final class Classifier implements Role {

  private static final Logger LOG = Logger.getLogger(Classifier.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final DistilleryConfig common;
  private final ClassifierConfig config;
  private final Topics topics;
  private final ModelHolder holder;
  private final ClassifierCounters counters = new ClassifierCounters();
  private volatile ModelFollower follower;
  private volatile KafkaStreams streams;
  private volatile String lastFailure;

  /**
   * @param common cluster, state directory and topic layout
   * @param config the classifier's own settings
   * @param topics the topic registry with the registry-backed serdes
   * @param codebook the task; its name is the model name the classifier follows
   */
  public Classifier(
      DistilleryConfig common, ClassifierConfig config, Topics topics, Codebook codebook) {
    this.common = common;
    this.config = config;
    this.topics = topics;
    this.holder = new ModelHolder(codebook.task());
  }

  @Override
  public String name() {
    return ScoringProcessor.ROLE;
  }

  @Override
  public synchronized void start() {
    if (streams != null) {
      throw new IllegalStateException("classifier already started");
    }
    var bootstrap = common.kafka().bootstrapServers();
    follower = new ModelFollower(bootstrap, topics, holder);
    follower.start();

    var topology =
        ClassifierTopology.build(
            topics, config, holder, topics.raw().valueSerde().deserializer(), counters);
    var props =
        KafkaClients.streams(
            bootstrap,
            config.applicationId(),
            Path.of(common.stateDir(), "streams", RoleName.CLASSIFIER.id()).toString(),
            common.kafka().replicationFactor(),
            topics.dlq().name(),
            ScoringProcessor.ROLE);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    var kafkaStreams = new KafkaStreams(topology, props);
    // Bad records never reach here (the processor dead-letters them); what does is the registry or
    // the cluster
    // failing. A fresh thread resumes from the last commit, so nothing is lost or written twice.
    kafkaStreams.setUncaughtExceptionHandler(
        e -> {
          lastFailure = e.toString();
          LOG.errorf(e, "classifier: stream thread failed, replacing it");
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    kafkaStreams.start();
    streams = kafkaStreams;
  }

  @Override
  public boolean failed() {
    var s = streams;
    return s != null && s.state() == KafkaStreams.State.ERROR;
  }

  @Override
  public Health health() {
    var s = streams;
    var f = follower;
    if (s == null || f == null) {
      return new Health(false, "not started");
    }
    var state = s.state();
    boolean running =
        state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    var detail = new StringBuilder("streams ").append(state);
    if (!f.ready()) {
      detail.append(f.failure() == null ? ", reading the models topic" : ", " + f.failure());
    }
    holder
        .current()
        .ifPresentOrElse(
            m -> detail.append(", scoring with ").append(m.name()).append(" v").append(m.version()),
            () ->
                detail
                    .append(", waiting for a model (")
                    .append(counters.pending())
                    .append(" pending)"));
    detail
        .append(", scored ")
        .append(counters.scored())
        .append(", dead letters ")
        .append(counters.deadLettered());
    if (lastFailure != null) {
      detail.append(", last failure: ").append(lastFailure);
    }
    return new Health(running && f.ready(), detail.toString());
  }

  /** The model in use, if any. */
  public Optional<ModelHolder.LoadedModel> model() {
    return holder.current();
  }

  /** Counts of scored, uncertain, dead-lettered and pending texts. */
  public ClassifierCounters counters() {
    return counters;
  }

  @Override
  public synchronized void close() {
    var s = streams;
    if (s != null) {
      if (!s.close(CLOSE_TIMEOUT)) {
        LOG.warnf("classifier: streams did not close within %s", CLOSE_TIMEOUT);
      }
    }
    var f = follower;
    if (f != null) {
      f.close();
    }
  }
}
