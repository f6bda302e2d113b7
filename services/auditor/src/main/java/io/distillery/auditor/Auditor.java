package io.distillery.auditor;

import io.distillery.common.Codebook;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
import io.distillery.common.Role;
import io.distillery.common.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * The auditor role: runs {@link AuditorTopology} and answers what the teacher's agreement with
 * people is.
 */
public final class Auditor implements Role {

  private final KafkaStreams streams;
  private final Agreement.Gate gate;
  private final Bootstrap bootstrap;
  private final LabelMix.Monitor mixMonitor;
  private final int windowDays;

  /**
   * @param common shared settings (Kafka, state directory)
   * @param config the auditor's settings
   * @param topics the topic registry
   * @param codebook the task: verdicts for another task, or with a label outside its label set, are
   *     dead-lettered
   */
  public Auditor(DistilleryConfig common, AuditorConfig config, Topics topics, Codebook codebook) {
    var props =
        KafkaClients.streams(
            common.kafka().bootstrapServers(),
            config.applicationId(),
            Path.of(common.stateDir(), "streams", "auditor").toString(),
            common.kafka().replicationFactor(),
            topics.dlq().name(),
            "auditor");
    this.streams =
        new KafkaStreams(
            AuditorTopology.build(
                topics, codebook, config, Clock.systemUTC(), common.kafka().partitions()),
            props);
    this.gate = Agreement.Gate.of(config);
    this.bootstrap = Bootstrap.of(config);
    this.mixMonitor = LabelMix.Monitor.of(config);
    this.windowDays = config.windowDays();
  }

  @Override
  public String name() {
    return "auditor";
  }

  @Override
  public void start() {
    streams.start();
  }

  @Override
  public boolean failed() {
    return streams.state() == KafkaStreams.State.ERROR;
  }

  @Override
  public Health health() {
    var state = streams.state();
    return new Health(
        state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING,
        "streams " + state);
  }

  /** Agreement per task and prompt version, as of now; empty until a verdict has been joined. */
  public List<Agreement> agreements() {
    return all(AuditorTopology.AGREEMENT_STORE);
  }

  /** The teacher's label counts per task, source and day; empty until a label has been counted. */
  public List<LabelMix> labelMixes() {
    return all(AuditorTopology.LABEL_MIX_STORE);
  }

  /** Length of the sliding window of the reports, in UTC days. */
  public int windowDays() {
    return windowDays;
  }

  /** The label-mix monitor's thresholds in force. */
  public LabelMix.Monitor mixMonitor() {
    return mixMonitor;
  }

  private <V> List<V> all(String storeName) {
    var out = new ArrayList<V>();
    try {
      var store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  storeName, QueryableStoreTypes.<String, V>keyValueStore()));
      try (var all = store.all()) {
        all.forEachRemaining(kv -> out.add(kv.value));
      }
    } catch (InvalidStateStoreException e) {
      // Rebalancing or starting: nothing to report yet.
    }
    return out;
  }

  /** The gate thresholds in force. */
  public Agreement.Gate gate() {
    return gate;
  }

  /** The bootstrap settings behind the intervals. */
  public Bootstrap bootstrap() {
    return bootstrap;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
