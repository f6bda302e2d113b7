package io.distillery.auditor;

import io.distillery.auditor.agreement.Agreement;
import io.distillery.auditor.agreement.Bootstrap;
import io.distillery.auditor.mix.LabelMix;
import io.distillery.auditor.probe.DriftProbe;
import io.distillery.auditor.probe.ProbeSet;
import io.distillery.auditor.probe.ProbeSummary;
import io.distillery.auditor.verdicts.VerdictCounters;
import io.distillery.common.Codebook;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
import io.distillery.common.Role;
import io.distillery.common.RoleName;
import io.distillery.common.Topics;
import io.distillery.schema.TextEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
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
  private final double probeMaxChanged;
  private final ProbeSet probes;
  private final KafkaProducer<String, TextEvent> probeProducer;
  private final ScheduledExecutorService probeSchedule;
  private final Duration probeInitialDelay;
  private final Duration probeInterval;
  private final String probeTopic;
  private final VerdictCounters verdictCounters = new VerdictCounters();

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
            Path.of(common.stateDir(), "streams", RoleName.AUDITOR.id()).toString(),
            common.kafka().replicationFactor(),
            topics.dlq().name(),
            RoleName.AUDITOR.id());
    this.probes =
        config
            .probeFile()
            .map(file -> ProbeSet.load(Path.of(file), codebook))
            .orElse(ProbeSet.none());
    if (!probes.items().isEmpty()) {
      if (!(config.probeMaxChanged() >= 0 && config.probeMaxChanged() <= 1)) {
        throw new IllegalArgumentException(
            "distillery.auditor.probe-max-changed must be in [0, 1], got "
                + config.probeMaxChanged());
      }
      this.probeProducer =
          new KafkaProducer<>(
              KafkaClients.producer(common.kafka().bootstrapServers()),
              new StringSerializer(),
              topics.forTeacher().valueSerde().serializer());
      this.probeSchedule =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                var thread = new Thread(r, "auditor-drift-probe");
                thread.setDaemon(true);
                return thread;
              });
      this.probeInitialDelay = config.probeInitialDelay();
      this.probeInterval = config.probeInterval();
      this.probeTopic = topics.forTeacher().name();
    } else {
      this.probeProducer = null;
      this.probeSchedule = null;
      this.probeInitialDelay = null;
      this.probeInterval = null;
      this.probeTopic = null;
    }
    this.streams =
        new KafkaStreams(
            AuditorTopology.build(
                topics,
                codebook,
                config,
                probes,
                Clock.systemUTC(),
                common.kafka().partitions(),
                verdictCounters),
            props);
    this.gate = Agreement.Gate.of(config);
    this.bootstrap = Bootstrap.of(config);
    this.mixMonitor = LabelMix.Monitor.of(config);
    this.windowDays = config.windowDays();
    this.probeMaxChanged = config.probeMaxChanged();
  }

  @Override
  public String name() {
    return RoleName.AUDITOR.id();
  }

  @Override
  public void start() {
    streams.start();
    if (probeSchedule != null) {
      probeSchedule.scheduleAtFixedRate(
          new DriftProbe(probes, probeProducer, probeTopic, Clock.systemUTC()),
          probeInitialDelay.toMillis(),
          probeInterval.toMillis(),
          TimeUnit.MILLISECONDS);
    }
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

  /** What this instance did with the verdicts it read: accepted or dead-lettered. */
  public VerdictCounters verdicts() {
    return verdictCounters;
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

  /**
   * The teacher drift probe under one prompt version.
   *
   * @param items probe texts whose latest label came under it
   * @param changedShare share of those with an earlier label whose label changed since; null with
   *     none
   * @param agreement share of those with a person's label in the probe file where the teacher gave
   *     it; null with none
   * @param alert whether the changed share is above the configured maximum
   */
  public record ProbeStatus(long items, Double changedShare, Double agreement, boolean alert) {}

  /** The drift probe's standing for a task and prompt version; empty with no probe label there. */
  public Optional<ProbeStatus> probe(String task, String promptVersion) {
    try {
      var store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  AuditorTopology.PROBE_SUMMARY_STORE,
                  QueryableStoreTypes.<String, ProbeSummary>keyValueStore()));
      var summary = store.get(new PromptVersionKey(task, promptVersion).key());
      if (summary == null || summary.task() == null) {
        return Optional.empty();
      }
      var changed = summary.changedShare();
      return Optional.of(
          new ProbeStatus(
              summary.items(),
              changed,
              summary.agreement(),
              changed != null && changed > probeMaxChanged));
    } catch (InvalidStateStoreException e) {
      return Optional.empty();
    }
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
    if (probeSchedule != null) {
      probeSchedule.shutdownNow();
      probeProducer.close(Duration.ofSeconds(5));
    }
    streams.close(Duration.ofSeconds(30));
  }
}
