package io.distillery.auditor;

import io.distillery.common.JsonSerde;
import io.distillery.common.Topics;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.SampleReason;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The auditor as a Kafka Streams topology:
 *
 * <pre>
 * texts.labeled ─ sample by id hash ─┬─ review request (text, no teacher label) ─► review.requests
 *                                    └─ table auditor-teacher-labels
 * review.verdicts ─ drop skips ─ join table ─ group by task/prompt version ─ aggregate auditor-agreement
 *                                           ─► quality.reports (key: task)
 * </pre>
 */
public final class AuditorTopology {

  /** Store of teacher labels awaiting a verdict. */
  public static final String TEACHER_LABELS_STORE = "auditor-teacher-labels";
  /** Store of agreement per task and prompt version; readable for {@code GET /api/quality}. */
  public static final String AGREEMENT_STORE = "auditor-agreement";

  private AuditorTopology() {}

  /** Builds the topology. */
  public static Topology build(Topics topics, AuditorConfig config, Clock clock) {
    var sampler = new UniformSampler(config.sampleRate());
    var gate = new Agreement.Gate(config.minReviewed(), config.minMacroF1(), config.minKappa());
    var builder = new StreamsBuilder();
    var key = Serdes.String();

    var sampled =
        builder.stream(topics.labeled().name(), Consumed.with(key, topics.labeled().valueSerde()).withName("auditor-labeled-source"))
            .filter((id, labeled) -> labeled != null && sampler.sampled(id), Named.as("auditor-uniform-sample"));

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
        .to(topics.reviewRequests().name(), Produced.with(key, topics.reviewRequests().valueSerde()).withName("auditor-requests-sink"));

    var teacherLabels =
        sampled
            .mapValues(
                labeled -> new TeacherVote(labeled.getTask(), labeled.getTeacher().getPromptVersion(), labeled.getLabel()),
                Named.as("auditor-teacher-vote"))
            .toTable(
                Named.as("auditor-teacher-table"),
                Materialized.<String, TeacherVote, org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(
                        TEACHER_LABELS_STORE)
                    .withKeySerde(key)
                    .withValueSerde(JsonSerde.of(TeacherVote.class)));

    builder.stream(topics.reviewVerdicts().name(), Consumed.with(key, topics.reviewVerdicts().valueSerde()).withName("auditor-verdicts-source"))
        .filter((id, verdict) -> verdict != null && !verdict.getSkipped() && verdict.getLabel() != null, Named.as("auditor-drop-skips"))
        .join(
            teacherLabels,
            (verdict, vote) -> new ReviewedLabel(vote.task(), vote.promptVersion(), vote.label(), verdict.getLabel()),
            Joined.with(key, topics.reviewVerdicts().valueSerde(), JsonSerde.of(TeacherVote.class)).withName("auditor-verdict-join"))
        .groupBy(
            (id, reviewed) -> reviewed.task() + "|" + reviewed.promptVersion(),
            Grouped.with("auditor-by-prompt-version", key, JsonSerde.of(ReviewedLabel.class)))
        .aggregate(
            Agreement::empty,
            (taskVersion, reviewed, agreement) -> agreement.add(reviewed),
            Named.as("auditor-aggregate"),
            Materialized.<String, Agreement, org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(AGREEMENT_STORE)
                .withKeySerde(key)
                .withValueSerde(JsonSerde.of(Agreement.class)))
        .toStream(Named.as("auditor-agreement-changes"))
        .map((taskVersion, agreement) -> KeyValue.pair(agreement.task(), agreement.toReport(gate, clock.instant())), Named.as("auditor-report"))
        .to(topics.qualityReports().name(), Produced.with(key, topics.qualityReports().valueSerde()).withName("auditor-reports-sink"));

    return builder.build();
  }
}
