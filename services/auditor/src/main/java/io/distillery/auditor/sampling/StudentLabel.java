package io.distillery.auditor.sampling;

import io.distillery.auditor.AuditorTopology;
import io.distillery.schema.ScoredText;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The student's label of a text and when it was scored, as {@link
 * AuditorTopology#STUDENT_LABELS_STORE} keeps it ({@code "<millis>|<label>"}).
 *
 * @param scoredAt the scored record's timestamp, epoch milliseconds
 * @param label the student's label
 */
public record StudentLabel(long scoredAt, String label) {

  String encode() {
    return scoredAt + "|" + label;
  }

  /** The entry, or null for null. */
  static StudentLabel parse(String value) {
    if (value == null) {
      return null;
    }
    var bar = value.indexOf('|');
    return new StudentLabel(Long.parseLong(value.substring(0, bar)), value.substring(bar + 1));
  }

  /**
   * Keeps the student's latest label per text for the disagreement window, and forgets older ones
   * as stream time passes.
   */
  public static final class Recorder implements Processor<String, ScoredText, Void, Void> {

    private final long windowMs;
    private KeyValueStore<String, String> store;

    public Recorder(long windowMs) {
      this.windowMs = windowMs;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(AuditorTopology.STUDENT_LABELS_STORE);
      // Stream time, not wall-clock time: what is forgotten depends only on the records, so a
      // replay samples the same disagreements.
      context.schedule(
          java.time.Duration.ofMillis(Math.max(1_000, windowMs / 10)),
          PunctuationType.STREAM_TIME,
          this::forgetBefore);
    }

    @Override
    public void process(Record<String, ScoredText> record) {
      if (record.key() == null || record.value() == null) {
        return;
      }
      store.put(
          record.key(), new StudentLabel(record.timestamp(), record.value().getLabel()).encode());
    }

    private void forgetBefore(long streamTime) {
      var oldest = streamTime - windowMs;
      var expired = new java.util.ArrayList<String>();
      try (var all = store.all()) {
        all.forEachRemaining(
            entry -> {
              if (parse(entry.value).scoredAt() < oldest) {
                expired.add(entry.key);
              }
            });
      }
      expired.forEach(store::delete);
    }
  }
}
