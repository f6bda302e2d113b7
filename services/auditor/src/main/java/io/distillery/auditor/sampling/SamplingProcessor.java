package io.distillery.auditor.sampling;

import io.distillery.auditor.AuditorTopology;
import io.distillery.auditor.probe.ProbeSet;
import io.distillery.schema.LabeledText;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies the {@link SamplingPolicy} to each teacher label, with the counts of its partition kept
 * in {@link AuditorTopology#SAMPLING_COUNTS_STORE} and the student's label of the same text read
 * from {@link AuditorTopology#STUDENT_LABELS_STORE}. Hours and days are those of the labeled
 * records' timestamps, so a replay spends the budget as the original run did; a record older than
 * the current hour is counted in the current hour.
 */
public final class SamplingProcessor implements FixedKeyProcessor<String, LabeledText, Sampled> {

  private static final long HOUR_MS = 3_600_000L;
  private static final long DAY_MS = 24 * HOUR_MS;

  private final SamplingPolicy policy;
  private final ProbeSet probes;
  private final long disagreementWindowMs;
  private FixedKeyProcessorContext<String, Sampled> context;
  private KeyValueStore<String, Long> counts;
  private KeyValueStore<String, String> studentLabels;

  public SamplingProcessor(SamplingPolicy policy, ProbeSet probes, long disagreementWindowMs) {
    this.policy = policy;
    this.probes = probes;
    this.disagreementWindowMs = disagreementWindowMs;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Sampled> context) {
    this.context = context;
    this.counts = context.getStateStore(AuditorTopology.SAMPLING_COUNTS_STORE);
    this.studentLabels = context.getStateStore(AuditorTopology.STUDENT_LABELS_STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, LabeledText> record) {
    var labeled = record.value();
    var timestamp = record.timestamp();
    var confidence =
        labeled.getConfidence() != null ? labeled.getConfidence() : labeled.getConsistency();
    var probeKey = "probe|" + labeled.getId();
    var unreviewedProbe =
        probes.item(labeled.getId()).map(item -> item.label() == null).orElse(false)
            && counts.get(probeKey) == null;
    var candidate =
        new SamplingPolicy.Candidate(
            labeled.getId(),
            labeled.getLabel(),
            confidence,
            studentLabel(labeled.getId(), timestamp),
            unreviewedProbe);
    var labelKey =
        "label|"
            + labeled.getTask()
            + '|'
            + labeled.getTeacher().getPromptVersion()
            + '|'
            + labeled.getLabel();
    var hour = bucket("hour", timestamp / HOUR_MS);
    var day = bucket("day", timestamp / DAY_MS);
    var reason =
        policy.reason(
            candidate, new SamplingPolicy.Counts(count(labelKey), count(hour), count(day)));
    if (reason.isEmpty()) {
      return;
    }
    for (var key : new String[] {labelKey, hour, day}) {
      counts.put(key, count(key) + 1);
    }
    if (unreviewedProbe) {
      counts.put(probeKey, 1L);
    }
    context.forward(
        record.withValue(new Sampled(labeled, reason.get(), policy.reviewers(labeled.getId()))));
  }

  /**
   * The key of the current {@code unit}'s count; moves to {@code index} when it is later,
   * forgetting the earlier count.
   */
  private String bucket(String unit, long index) {
    var currentKey = unit + ".current";
    var current = counts.get(currentKey);
    if (current == null || index > current) {
      if (current != null) {
        counts.delete(unit + '|' + current);
      }
      counts.put(currentKey, index);
      current = index;
    }
    return unit + '|' + current;
  }

  private long count(String key) {
    var n = counts.get(key);
    return n == null ? 0 : n;
  }

  /** The student's label of the text, if it scored the text within the window before now. */
  private String studentLabel(String id, long now) {
    var entry = StudentLabel.parse(studentLabels.get(id));
    if (entry == null || now - entry.scoredAt() > disagreementWindowMs) {
      return null;
    }
    return entry.label();
  }
}
