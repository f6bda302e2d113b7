package io.distillery.auditor.verdicts;

import io.distillery.auditor.AuditorTopology;
import io.distillery.auditor.sampling.SamplingPolicy;
import io.distillery.common.Codebook;
import io.distillery.common.DeadLetters;
import io.distillery.common.RoleName;
import io.distillery.common.TransientErrors;
import io.distillery.schema.ReviewVerdict;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reads each verdict and decides whether it can count. A verdict is dead-lettered, with its
 * original bytes and the usual headers, when it is not a {@code ReviewVerdict}, when its key and id
 * differ, when it names another task than the codebook's, when it is neither a skip nor one of the
 * codebook's labels, or when its id is unknown: no teacher label for it was sampled ({@link
 * AuditorTopology#TEACHER_LABELS_STORE}) and uniform sampling would never sample it. A verdict for
 * an id uniform sampling selects but whose teacher label has not arrived yet is kept: a replay can
 * deliver a verdict first, and the join counts it when the label comes. (The other strategies
 * depend on counts and the student, so only their stored teacher labels vouch for their ids; their
 * requests are written in the same transaction as those labels, so a live verdict never precedes
 * one.) A tombstone withdraws the text's verdict, like a skip.
 */
public final class VerdictCheck implements FixedKeyProcessor<String, byte[], CheckedVerdict> {

  /** The role name on dead letters. */
  static final String ROLE = RoleName.AUDITOR.id();

  private final Codebook codebook;
  private final SamplingPolicy sampler;
  private final Deserializer<ReviewVerdict> deserializer;
  private final String dlqTopic;
  private final VerdictCounters counters;
  private FixedKeyProcessorContext<String, CheckedVerdict> context;
  private KeyValueStore<String, ?> teacherLabels;

  public VerdictCheck(
      Codebook codebook,
      SamplingPolicy sampler,
      Deserializer<ReviewVerdict> deserializer,
      String dlqTopic,
      VerdictCounters counters) {
    this.codebook = codebook;
    this.sampler = sampler;
    this.deserializer = deserializer;
    this.dlqTopic = dlqTopic;
    this.counters = counters;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, CheckedVerdict> context) {
    this.context = context;
    this.teacherLabels = context.getStateStore(AuditorTopology.TEACHER_LABELS_STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    var bytes = record.value();
    if (bytes == null) {
      context.forward(record.withValue(new CheckedVerdict(null, null, null)));
      return;
    }
    var origin = origin(record);
    ReviewVerdict verdict;
    try {
      verdict = deserializer.deserialize(origin.topic(), bytes);
    } catch (RuntimeException e) {
      if (TransientErrors.isTransient(e)) {
        throw e;
      }
      deadLetter(record, DeadLetters.reason("not a ReviewVerdict", e));
      return;
    }
    var problem = problem(record.key(), verdict);
    if (problem != null) {
      deadLetter(record, problem);
      return;
    }
    counters.addAccepted();
    context.forward(record.withValue(new CheckedVerdict(verdict, bytes, null)));
  }

  /** Where the verdict was first read, as {@link VerdictRoute} stamped it. */
  private VerdictOrigin origin(FixedKeyRecord<String, byte[]> record) {
    var metadata = VerdictOrigin.source(context.recordMetadata());
    return VerdictOrigin.read(record.headers(), metadata);
  }

  /** Why the verdict cannot count, or null when it can. */
  private String problem(String key, ReviewVerdict verdict) {
    var id = verdict.getId();
    if (!id.equals(key)) {
      return "verdict id '" + id + "' differs from its key '" + key + "'";
    }
    if (!codebook.task().equals(verdict.getTask())) {
      return "task '"
          + verdict.getTask()
          + "' is not the codebook's task '"
          + codebook.task()
          + "'";
    }
    if (!verdict.getSkipped() && !codebook.hasLabel(verdict.getLabel())) {
      return verdict.getLabel() == null
          ? "neither a label nor a skip"
          : "label '"
              + verdict.getLabel()
              + "' is not one of the codebook's labels "
              + codebook.labelNames();
    }
    if (teacherLabels.get(id) == null && !sampler.uniformSampled(id)) {
      return "unknown id '" + id + "': the auditor never sampled it for review";
    }
    return null;
  }

  private void deadLetter(FixedKeyRecord<String, byte[]> record, String reason) {
    var letter =
        origin(record)
            .deadLetter(
                dlqTopic,
                record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                record.value(),
                reason,
                counters);
    context.forward(
        record
            .withValue(new CheckedVerdict(null, record.value(), reason))
            .withHeaders(letter.headers()));
  }
}
