package io.distillery.auditor;

import io.distillery.common.Codebook;
import io.distillery.common.JsonSerde;
import io.distillery.common.Topics;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.SampleReason;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The auditor as a Kafka Streams topology:
 *
 * <pre>
 * texts.labeled ─ sample by id hash ─┬─ review request (text, no teacher label) ─► review.requests
 *                                    └─ table auditor-teacher-labels
 * review.verdicts (value as bytes) ─ check [reads auditor-teacher-labels] ─┬─ dead letter ─► dlq
 *     └─ latest human label per id (skip = none) ─ join teacher table ─ group by task/prompt version
 *        ─ aggregate auditor-agreement (add new, subtract replaced)
 *        ─ gate [store auditor-gate-status; logs every gate change, FAIL as a warning]
 *        ─► quality.reports (key: task)
 * </pre>
 *
 * <p>Verdicts are read as bytes and decoded by {@link VerdictCheck}, so a verdict that cannot count
 * (unreadable, another task, a label outside the codebook, an id never sampled) reaches the
 * dead-letter topic with its original value bytes and source headers, inside the stream's
 * transaction.
 */
public final class AuditorTopology {

  /** Store of teacher labels awaiting a verdict. */
  public static final String TEACHER_LABELS_STORE = "auditor-teacher-labels";

  /** Store of the latest human label per text (skips withdraw). */
  public static final String HUMAN_LABELS_STORE = "auditor-human-labels";

  /** Store of agreement per task and prompt version; readable for {@code GET /api/quality}. */
  public static final String AGREEMENT_STORE = "auditor-agreement";

  /** Store of the last published gate status per task and prompt version. */
  public static final String GATE_STORE = "auditor-gate-status";

  private AuditorTopology() {}

  /**
   * Builds the topology.
   *
   * @param topics the topic registry
   * @param codebook the task whose verdicts count: its name and label set
   * @param config sampling, gate and bootstrap settings
   * @param clock stamps requests and reports
   */
  public static Topology build(
      Topics topics, Codebook codebook, AuditorConfig config, Clock clock) {
    var sampler = new UniformSampler(config.sampleRate());
    var gate = Agreement.Gate.of(config);
    var bootstrap = Bootstrap.of(config);
    var builder = new StreamsBuilder();
    var key = Serdes.String();

    // One small entry per task and prompt version: in memory, restored from its changelog.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(GATE_STORE), Serdes.String(), Serdes.String()));

    var sampled =
        builder.stream(
                topics.labeled().name(),
                Consumed.with(key, topics.labeled().valueSerde())
                    .withName("auditor-labeled-source"))
            .filter(
                (id, labeled) -> labeled != null && sampler.sampled(id),
                Named.as("auditor-uniform-sample"));

    sampled
        .mapValues(
            labeled ->
                ReviewRequest.newBuilder()
                    .setId(labeled.getId())
                    .setText(labeled.getText())
                    .setTask(labeled.getTask())
                    .setPromptVersion(labeled.getTeacher().getPromptVersion())
                    .setReason(SampleReason.UNIFORM)
                    .setRequestedAt(clock.instant())
                    .build(),
            Named.as("auditor-review-request"))
        .to(
            topics.reviewRequests().name(),
            Produced.with(key, topics.reviewRequests().valueSerde())
                .withName("auditor-requests-sink"));

    var teacherLabels =
        sampled
            .mapValues(
                labeled ->
                    new TeacherVote(
                        labeled.getTask(),
                        labeled.getTeacher().getPromptVersion(),
                        labeled.getLabel()),
                Named.as("auditor-teacher-vote"))
            .toTable(
                Named.as("auditor-teacher-table"),
                Materialized.<String, TeacherVote, KeyValueStore<Bytes, byte[]>>as(
                        TEACHER_LABELS_STORE)
                    .withKeySerde(key)
                    .withValueSerde(JsonSerde.of(TeacherVote.class)));

    var verdicts =
        builder.stream(
                topics.reviewVerdicts().name(),
                Consumed.with(key, Serdes.ByteArray()).withName("auditor-verdicts-source"))
            .processValues(
                () ->
                    new VerdictCheck(
                        codebook,
                        sampler,
                        topics.reviewVerdicts().valueSerde().deserializer(),
                        topics.dlq().name()),
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
            Produced.with(key, Serdes.ByteArray()).withName("auditor-dlq-sink"));

    // The latest verdict per text counts: a corrected verdict replaces the earlier one, a skip
    // withdraws it.
    var humanLabels =
        verdicts
            .get("auditor-verdict-counted")
            .mapValues(CheckedVerdict::humanLabel, Named.as("auditor-human-label"))
            .toTable(
                Named.as("auditor-human-table"),
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(HUMAN_LABELS_STORE)
                    .withKeySerde(key)
                    .withValueSerde(Serdes.String()));

    humanLabels
        .join(
            teacherLabels,
            (human, vote) ->
                new ReviewedLabel(vote.task(), vote.promptVersion(), vote.label(), human),
            Named.as("auditor-verdict-join"))
        .groupBy(
            (id, reviewed) ->
                KeyValue.pair(reviewed.task() + "|" + reviewed.promptVersion(), reviewed),
            Grouped.with("auditor-by-prompt-version", key, JsonSerde.of(ReviewedLabel.class)))
        .aggregate(
            Agreement::empty,
            (taskVersion, reviewed, agreement) -> agreement.add(reviewed),
            (taskVersion, reviewed, agreement) -> agreement.remove(reviewed),
            Named.as("auditor-aggregate"),
            Materialized.<String, Agreement, KeyValueStore<Bytes, byte[]>>as(AGREEMENT_STORE)
                .withKeySerde(key)
                .withValueSerde(JsonSerde.of(Agreement.class)))
        .toStream(Named.as("auditor-agreement-changes"))
        .filter(
            (taskVersion, agreement) -> agreement != null && agreement.task() != null,
            Named.as("auditor-drop-empty"))
        .processValues(
            () -> new GateProcessor(gate, bootstrap, clock), Named.as("auditor-gate"), GATE_STORE)
        .selectKey((taskVersion, report) -> report.getTask(), Named.as("auditor-report-by-task"))
        .to(
            topics.qualityReports().name(),
            Produced.with(key, topics.qualityReports().valueSerde())
                .withName("auditor-reports-sink"));

    return builder.build();
  }
}
