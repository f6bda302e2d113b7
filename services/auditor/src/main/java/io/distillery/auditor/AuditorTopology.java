package io.distillery.auditor;

import io.distillery.auditor.agreement.Agreement;
import io.distillery.auditor.agreement.Audit;
import io.distillery.auditor.agreement.Bootstrap;
import io.distillery.auditor.agreement.GateProcessor;
import io.distillery.auditor.agreement.HumanLabels;
import io.distillery.auditor.agreement.ReviewedLabel;
import io.distillery.auditor.agreement.TeacherVote;
import io.distillery.auditor.mix.LabelMix;
import io.distillery.auditor.mix.MixAlerts;
import io.distillery.auditor.mix.MixItem;
import io.distillery.auditor.probe.ProbeObservation;
import io.distillery.auditor.probe.ProbeSet;
import io.distillery.auditor.probe.ProbeSummary;
import io.distillery.auditor.probe.ProbeTracker;
import io.distillery.auditor.sampling.SamplingPolicy;
import io.distillery.auditor.sampling.SamplingProcessor;
import io.distillery.auditor.sampling.StudentLabel;
import io.distillery.auditor.verdicts.CheckedVerdict;
import io.distillery.auditor.verdicts.VerdictCheck;
import io.distillery.auditor.verdicts.VerdictCounters;
import io.distillery.auditor.verdicts.VerdictRoute;
import io.distillery.common.Codebook;
import io.distillery.common.JsonSerde;
import io.distillery.common.Topics;
import io.distillery.schema.LabeledText;
import io.distillery.schema.ReviewRequest;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The auditor as a Kafka Streams topology:
 *
 * <pre>
 * texts.scored ─ student label per id [auditor-student-labels, forgotten after the window]
 * texts.labeled ─┬─ by task ─ label counts per source and day [auditor-label-mix]
 *                │  ─ mix shift alerts in the log [auditor-mix-alerts]
 *                └─ sample [auditor-sampling-counts, reads auditor-student-labels]
 *     ├─ review request (text, reason, reviewers; no teacher label) ─► review.requests
 *     └─ table auditor-teacher-labels
 * review.verdicts (value as bytes) ─ route: origin stamped; no key → the value's id, or ─► dlq
 *     ─ repartition by id [auditor-verdicts-by-id], as the labeled topic is partitioned
 *     ─ check [reads auditor-teacher-labels] ─┬─ dead letter ─► dlq
 *     └─ standing label per reviewer per id [auditor-human-labels] ─ join teacher table
 *        ─ group by task/prompt version
 *        ─ aggregate auditor-agreement (add new, subtract replaced)
 *        ─ outer join the drift probe's auditor-probe-summary (probe texts' labels against the
 *          ones before them [auditor-probe-labels], grouped by task/prompt version)
 *        ─ gate [store auditor-gate-status; logs every gate change, FAIL as a warning]
 *        ─► quality.reports (key: task)
 * </pre>
 *
 * <p>Verdicts come from people's tools, written by any Kafka client: they are repartitioned by text
 * id with the Java client's partitioner before anything looks them up ({@link VerdictRoute}), so a
 * verdict meets its text's teacher label whatever partitioner or partition its producer chose.
 *
 * <p>Verdicts are read as bytes and decoded by {@link VerdictCheck}, so a verdict that cannot count
 * (unreadable, another task, a label outside the codebook, an id never sampled) reaches the
 * dead-letter topic with its original value bytes and source headers, inside the stream's
 * transaction.
 */
public final class AuditorTopology {

  /** Store of teacher labels awaiting a verdict. */
  public static final String TEACHER_LABELS_STORE = "auditor-teacher-labels";

  /** Store of the standing human labels per text, one per reviewer (skips withdraw). */
  public static final String HUMAN_LABELS_STORE = "auditor-human-labels";

  /** Store of agreement per task and prompt version; readable for {@code GET /api/quality}. */
  public static final String AGREEMENT_STORE = "auditor-agreement";

  /** Store of the sampling counts of a partition: per teacher label, this hour, today. */
  public static final String SAMPLING_COUNTS_STORE = "auditor-sampling-counts";

  /** Store of the student's recent label per text, for disagreement sampling. */
  public static final String STUDENT_LABELS_STORE = "auditor-student-labels";

  /** Store of the teacher's label counts per task, source and day; readable for the API. */
  public static final String LABEL_MIX_STORE = "auditor-label-mix";

  /** Store of whether each task and source's label mix is past the monitor's threshold. */
  public static final String MIX_ALERT_STORE = "auditor-mix-alerts";

  /** Store of the teacher's last label of each probe text. */
  public static final String PROBE_LABELS_STORE = "auditor-probe-labels";

  /** Store of the drift probe's counts per task and prompt version. */
  public static final String PROBE_SUMMARY_STORE = "auditor-probe-summary";

  /** Store of the last published gate status per task and prompt version. */
  public static final String GATE_STORE = "auditor-gate-status";

  private static final Serde<String> KEY = Serdes.String();

  private AuditorTopology() {}

  /**
   * Builds the topology.
   *
   * @param topics the topic registry
   * @param codebook the task whose verdicts count: its name and label set
   * @param config sampling, gate and bootstrap settings
   * @param probes the drift probe's texts; none turns the probe off
   * @param clock stamps requests and reports
   * @param partitions partitions of the labeled topic, over which sampling quotas and budgets are
   *     split
   * @param counters counts what happened to the verdicts
   */
  public static Topology build(
      Topics topics,
      Codebook codebook,
      AuditorConfig config,
      ProbeSet probes,
      Clock clock,
      int partitions,
      VerdictCounters counters) {
    var policy = SamplingPolicy.of(config, partitions);
    var disagreementWindowMs = config.disagreementWindow().toMillis();
    var builder = new StreamsBuilder();
    // One small entry per task and prompt version: in memory, restored from its changelog.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(GATE_STORE), Serdes.String(), Serdes.String()));
    studentLabels(builder, topics, disagreementWindowMs);
    var labeledTexts =
        builder.stream(
                topics.labeled().name(),
                Consumed.with(KEY, topics.labeled().valueSerde())
                    .withName("auditor-labeled-source"))
            .filter((id, labeled) -> labeled != null, Named.as("auditor-drop-tombstones"));
    labelMix(builder, labeledTexts, LabelMix.Monitor.of(config));
    var probeSummaries = driftProbe(builder, labeledTexts, probes);
    var teacherLabels =
        sampling(builder, topics, labeledTexts, policy, probes, disagreementWindowMs, clock);
    var humanLabels = humanLabels(builder, topics, codebook, policy, counters);
    agreement(topics, config, clock, humanLabels, teacherLabels, probeSummaries);
    return builder.build();
  }

  /** The student's label of each text scored in the disagreement window, for the sampler. */
  private static void studentLabels(
      StreamsBuilder builder, Topics topics, long disagreementWindowMs) {
    // Every text the student scored in the disagreement window: on disk, and without a changelog
    // (it would double the scored traffic); after a restart, texts scored before it are not
    // compared.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STUDENT_LABELS_STORE),
                Serdes.String(),
                Serdes.String())
            .withLoggingDisabled());

    builder.stream(
            topics.scored().name(),
            Consumed.with(KEY, topics.scored().valueSerde()).withName("auditor-scored-source"))
        .process(
            () -> new StudentLabel.Recorder(disagreementWindowMs),
            Named.as("auditor-student-labels"),
            STUDENT_LABELS_STORE);
  }

  /** The label-mix monitor: every teacher label counted per task, source and day. */
  private static void labelMix(
      StreamsBuilder builder,
      KStream<String, LabeledText> labeledTexts,
      LabelMix.Monitor mixMonitor) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(MIX_ALERT_STORE), Serdes.String(), Serdes.Boolean()));
    labeledTexts
        .map(
            (id, labeled) ->
                KeyValue.pair(
                    labeled.getTask(),
                    new MixItem(
                        labeled.getSource(),
                        labeled.getLabeledAt().toEpochMilli(),
                        labeled.getLabel())),
            Named.as("auditor-mix-item"))
        .groupByKey(Grouped.with("auditor-mix-by-task", KEY, JsonSerde.of(MixItem.class)))
        .aggregate(
            LabelMix::empty,
            (task, item, mix) ->
                mix.add(task, item.source(), item.day(), item.label(), mixMonitor.referenceDays()),
            Named.as("auditor-mix-aggregate"),
            Materialized.<String, LabelMix, KeyValueStore<Bytes, byte[]>>as(LABEL_MIX_STORE)
                .withKeySerde(KEY)
                .withValueSerde(JsonSerde.of(LabelMix.class)))
        .toStream(Named.as("auditor-mix-changes"))
        .process(() -> new MixAlerts(mixMonitor), Named.as("auditor-mix-alerts"), MIX_ALERT_STORE);
  }

  /** The drift probe: each teacher label of a probe text against the one before it. */
  private static KTable<String, ProbeSummary> driftProbe(
      StreamsBuilder builder, KStream<String, LabeledText> labeledTexts, ProbeSet probes) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(PROBE_LABELS_STORE), Serdes.String(), Serdes.String()));
    return labeledTexts
        .filter((id, labeled) -> probes.item(id).isPresent(), Named.as("auditor-probe-texts"))
        .processValues(
            () -> new ProbeTracker(probes), Named.as("auditor-probe-track"), PROBE_LABELS_STORE)
        .toTable(
            Named.as("auditor-probe-table"),
            Materialized.<String, ProbeObservation, KeyValueStore<Bytes, byte[]>>as(
                    "auditor-probe-observations")
                .withKeySerde(KEY)
                .withValueSerde(JsonSerde.of(ProbeObservation.class)))
        .groupBy(
            (id, o) -> KeyValue.pair(new PromptVersionKey(o.task(), o.promptVersion()).key(), o),
            Grouped.with(
                "auditor-probe-by-prompt-version", KEY, JsonSerde.of(ProbeObservation.class)))
        .aggregate(
            ProbeSummary::empty,
            (taskVersion, o, summary) -> summary.add(o),
            (taskVersion, o, summary) -> summary.remove(o),
            Named.as("auditor-probe-aggregate"),
            Materialized.<String, ProbeSummary, KeyValueStore<Bytes, byte[]>>as(PROBE_SUMMARY_STORE)
                .withKeySerde(KEY)
                .withValueSerde(JsonSerde.of(ProbeSummary.class)));
  }

  /**
   * Sampling: the texts sent for blind review, as review requests, and the teacher's label of each,
   * the table verdicts are joined with.
   */
  private static KTable<String, TeacherVote> sampling(
      StreamsBuilder builder,
      Topics topics,
      KStream<String, LabeledText> labeledTexts,
      SamplingPolicy policy,
      ProbeSet probes,
      long disagreementWindowMs,
      Clock clock) {
    // A few entries per label and prompt version, plus the current hour and day.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(SAMPLING_COUNTS_STORE), Serdes.String(), Serdes.Long()));
    var sampled =
        labeledTexts.processValues(
            () -> new SamplingProcessor(policy, probes, disagreementWindowMs),
            Named.as("auditor-sample"),
            SAMPLING_COUNTS_STORE,
            STUDENT_LABELS_STORE);

    sampled
        .mapValues(
            s ->
                ReviewRequest.newBuilder()
                    .setId(s.labeled().getId())
                    .setText(s.labeled().getText())
                    .setTask(s.labeled().getTask())
                    .setPromptVersion(s.labeled().getTeacher().getPromptVersion())
                    .setReason(s.reason())
                    .setReviewers(s.reviewers())
                    .setRequestedAt(clock.instant())
                    .build(),
            Named.as("auditor-review-request"))
        .to(
            topics.reviewRequests().name(),
            Produced.with(KEY, topics.reviewRequests().valueSerde())
                .withName("auditor-requests-sink"));

    return sampled
        .mapValues(
            s ->
                new TeacherVote(
                    s.labeled().getTask(),
                    s.labeled().getTeacher().getPromptVersion(),
                    s.labeled().getLabel()),
            Named.as("auditor-teacher-vote"))
        .toTable(
            Named.as("auditor-teacher-table"),
            Materialized.<String, TeacherVote, KeyValueStore<Bytes, byte[]>>as(TEACHER_LABELS_STORE)
                .withKeySerde(KEY)
                .withValueSerde(JsonSerde.of(TeacherVote.class))
                // Both sides of the verdict join uncached: see auditor-human-labels.
                .withCachingDisabled());
  }

  /**
   * Verdicts: routed, re-partitioned by id, checked against the codebook and the sampled texts
   * (dead letters to the DLQ), and folded into each text's standing human labels.
   */
  private static KTable<String, HumanLabels> humanLabels(
      StreamsBuilder builder,
      Topics topics,
      Codebook codebook,
      SamplingPolicy policy,
      VerdictCounters counters) {
    var verdictSerde = topics.reviewVerdicts().valueSerde();
    var routed =
        builder.stream(
                topics.reviewVerdicts().name(),
                Consumed.with(KEY, Serdes.ByteArray()).withName("auditor-verdicts-source"))
            .process(
                () -> new VerdictRoute(verdictSerde.deserializer(), topics.dlq().name(), counters),
                Named.as("auditor-verdict-route"))
            .split(Named.as("auditor-verdict-route-"))
            .branch((id, bytes) -> id == null, Branched.as("unkeyed"))
            .defaultBranch(Branched.as("keyed"));
    routed
        .get("auditor-verdict-route-unkeyed")
        .to(
            topics.dlq().name(),
            Produced.with(KEY, Serdes.ByteArray()).withName("auditor-unkeyed-dlq-sink"));

    var verdicts =
        routed
            .get("auditor-verdict-route-keyed")
            // The producer's partitioner is not ours to trust: re-partition by id with the Java
            // client's partitioner, so each verdict is checked and joined in the task that holds
            // its text's teacher label. No partition count is fixed here: the join below puts the
            // repartition topic in one co-partition group with the labeled topic, and Kafka
            // Streams gives it the labeled topic's count (whatever distillery.kafka.partitions
            // says).
            .repartition(
                Repartitioned.with(KEY, Serdes.ByteArray()).withName("auditor-verdicts-by-id"))
            .processValues(
                () ->
                    new VerdictCheck(
                        codebook,
                        policy,
                        verdictSerde.deserializer(),
                        topics.dlq().name(),
                        counters),
                Named.as("auditor-verdict-check"),
                TEACHER_LABELS_STORE)
            .split(Named.as("auditor-verdict-"))
            .branch((id, checked) -> checked.deadLetter(), Branched.as("dead"))
            .defaultBranch(Branched.as("counted"));

    verdicts
        .get("auditor-verdict-dead")
        .mapValues(CheckedVerdict::original, Named.as("auditor-verdict-original"))
        .to(
            topics.dlq().name(),
            Produced.with(KEY, Serdes.ByteArray()).withName("auditor-dlq-sink"));

    // The standing label of each reviewer per text: an answer again replaces theirs, a skip
    // withdraws it, a tombstone withdraws all.
    return verdicts
        .get("auditor-verdict-counted")
        .groupByKey(Grouped.as("auditor-verdicts-by-id"))
        .aggregate(
            HumanLabels::none,
            (id, checked, labels) -> labels.apply(checked),
            Named.as("auditor-human-labels"),
            Materialized.<String, HumanLabels, KeyValueStore<Bytes, byte[]>>as(HUMAN_LABELS_STORE)
                .withKeySerde(KEY)
                .withValueSerde(JsonSerde.of(HumanLabels.class))
                // Uncached, as the teacher table: with a record cache the join read a verdict
                // still in the cache when its label came, and again when the cache flushed it
                // (old value: none), so a verdict that came before its label counted twice
                // (ForeignVerdictsOnBrokerTest#shouldCountAVerdictOnceWhenItsTeacherLabelComesAfterIt).
                .withCachingDisabled());
  }

  /**
   * Agreement: human labels joined with the teacher's, aggregated per prompt version, with the
   * drift probe's summary beside them, through the gate into quality reports.
   */
  private static void agreement(
      Topics topics,
      AuditorConfig config,
      Clock clock,
      KTable<String, HumanLabels> humanLabels,
      KTable<String, TeacherVote> teacherLabels,
      KTable<String, ProbeSummary> probeSummaries) {
    var gate = Agreement.Gate.of(config);
    var bootstrap = Bootstrap.of(config);
    var windowDays = GateProcessor.checkedWindow(config.windowDays());
    humanLabels
        .join(teacherLabels, HumanLabels::against, Named.as("auditor-verdict-join"))
        .groupBy(
            (id, reviewed) ->
                KeyValue.pair(
                    new PromptVersionKey(reviewed.task(), reviewed.promptVersion()).key(),
                    reviewed),
            Grouped.with("auditor-by-prompt-version", KEY, JsonSerde.of(ReviewedLabel.class)))
        .aggregate(
            Agreement::empty,
            (taskVersion, reviewed, agreement) -> agreement.add(reviewed),
            (taskVersion, reviewed, agreement) -> agreement.remove(reviewed),
            Named.as("auditor-aggregate"),
            Materialized.<String, Agreement, KeyValueStore<Bytes, byte[]>>as(AGREEMENT_STORE)
                .withKeySerde(KEY)
                .withValueSerde(JsonSerde.of(Agreement.class)))
        .outerJoin(probeSummaries, Audit::new, Named.as("auditor-probe-join"))
        .toStream(Named.as("auditor-agreement-changes"))
        .filter(
            (taskVersion, audit) -> audit != null && audit.task() != null,
            Named.as("auditor-drop-empty"))
        .processValues(
            () -> new GateProcessor(gate, bootstrap, clock, windowDays, config.probeMaxChanged()),
            Named.as("auditor-gate"),
            GATE_STORE)
        .selectKey((taskVersion, report) -> report.getTask(), Named.as("auditor-report-by-task"))
        .to(
            topics.qualityReports().name(),
            Produced.with(KEY, topics.qualityReports().valueSerde())
                .withName("auditor-reports-sink"));
  }
}
