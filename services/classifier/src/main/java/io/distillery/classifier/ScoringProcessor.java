package io.distillery.classifier;

import io.distillery.common.DeadLetters;
import io.distillery.common.RoleName;
import io.distillery.common.TextChecks;
import io.distillery.common.TransientErrors;
import io.distillery.schema.ScoredText;
import io.distillery.schema.TextEvent;
import io.distillery.students.Prediction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Validates, holds back or scores each raw record; one instance per stream task (one raw
 * partition).
 *
 * <p>Order: while texts are pending, a new text joins the end of the queue instead of overtaking
 * it, and the queue is drained in bounded chunks (per record and per punctuation), so one call
 * never runs long enough to outlast the transaction timeout or the poll interval, however large the
 * backlog.
 */
final class ScoringProcessor implements Processor<byte[], byte[], Object, Object> {

  /** The role name on dead letters. */
  static final String ROLE = RoleName.CLASSIFIER.id();

  /** Pending texts scored, at most, alongside one new record. */
  static final int DRAIN_PER_RECORD = 1_000;

  /** Pending texts scored, at most, per wall-clock punctuation. */
  static final int DRAIN_PER_PUNCTUATION = 10_000;

  private static final Logger LOG = Logger.getLogger(ScoringProcessor.class);
  private static final int CHUNK = 100;

  private final ClassifierConfig config;
  private final TeacherRoute route;
  private final ModelHolder holder;
  private final Deserializer<TextEvent> textDeserializer;
  private final String dlqTopic;
  private final ClassifierCounters counters;

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, PendingRecord> pending;
  private long pendingCount;

  ScoringProcessor(
      ClassifierConfig config,
      ModelHolder holder,
      Deserializer<TextEvent> textDeserializer,
      String dlqTopic,
      ClassifierCounters counters) {
    this.config = config;
    this.route = TeacherRoute.of(config);
    this.holder = holder;
    this.textDeserializer = textDeserializer;
    this.dlqTopic = dlqTopic;
    this.counters = counters;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.pending = context.getStateStore(ClassifierTopology.PENDING_STORE);
    // Counted once, after restore: RocksDB's approximate count cannot tell "empty" from "almost
    // empty".
    long count = 0;
    try (var all = pending.all()) {
      for (; all.hasNext(); all.next()) {
        count++;
      }
    }
    pendingCount = count;
    counters.addPending(count);
    context.schedule(
        config.pendingFlushInterval(),
        PunctuationType.WALL_CLOCK_TIME,
        now -> drain(DRAIN_PER_PUNCTUATION));
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    var source =
        context
            .recordMetadata()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "a source record without topic, partition and offset"));
    var in =
        new PendingRecord(
            record.key(),
            record.value(),
            source.topic(),
            source.partition(),
            source.offset(),
            record.timestamp(),
            false);
    var text = read(in);
    if (text == null) {
      return;
    }
    var model = holder.current();
    if (model.isPresent() && pendingCount == 0) {
      score(in, text, model.get());
      return;
    }
    if (model.isEmpty()) {
      // No student yet: the teacher labels everything, and the text waits to be scored.
      toTeacher(in, text, TeacherRoute.Reason.NO_MODEL);
      in = in.sent();
    }
    pending.put(PendingRecord.storeKey(in.partition(), in.offset()), in);
    pendingCount++;
    counters.addPending(1);
    if (model.isPresent()) {
      drain(DRAIN_PER_RECORD);
    }
  }

  @Override
  public void close() {
    counters.addPending(-pendingCount);
    pendingCount = 0;
  }

  /** Scores up to {@code limit} pending texts, oldest first, if a model exists. */
  private void drain(int limit) {
    if (pendingCount == 0 || holder.current().isEmpty()) {
      return;
    }
    int done = 0;
    String from = null;
    while (done < limit) {
      var chunk = new ArrayList<KeyValue<String, PendingRecord>>(Math.min(CHUNK, limit - done));
      // The iterator is closed before the deletes below, so RocksDB never iterates a range being
      // modified; each
      // chunk starts at the last key deleted, not at the start, so it does not walk over the chunks
      // before it.
      try (var it = from == null ? pending.all() : pending.range(from, null)) {
        while (it.hasNext() && chunk.size() < Math.min(CHUNK, limit - done)) {
          chunk.add(it.next());
        }
      }
      if (chunk.isEmpty()) {
        counters.addPending(-pendingCount);
        pendingCount = 0;
        return;
      }
      for (var entry : chunk) {
        var text = read(entry.value);
        if (text != null) {
          // Read per record: a model promoted mid-drain scores the rest, and the version stamp says
          // which did.
          score(entry.value, text, holder.current().orElseThrow());
        }
        pending.delete(entry.key);
        from = entry.key;
        pendingCount--;
        counters.addPending(-1);
        done++;
      }
    }
    if (pendingCount > 0) {
      LOG.debugf(
          "classifier: %d texts still pending after a drain of %d",
          Long.valueOf(pendingCount), Integer.valueOf(done));
    }
  }

  /** The text, or null after dead-lettering a record that is unreadable or unfit to score. */
  private TextEvent read(PendingRecord in) {
    if (in.value() == null) {
      deadLetter(in, "no value (tombstone)");
      return null;
    }
    TextEvent text;
    try {
      text = textDeserializer.deserialize(in.topic(), in.value());
    } catch (RuntimeException e) {
      if (TransientErrors.isTransient(e)) {
        throw e;
      }
      deadLetter(in, DeadLetters.reason("not a TextEvent", e));
      return null;
    }
    var problem = TextChecks.problem(text, config.maxTextChars());
    if (problem.isPresent()) {
      deadLetter(in, problem.get());
      return null;
    }
    return text;
  }

  private void score(PendingRecord in, TextEvent text, ModelHolder.LoadedModel model) {
    long start = System.nanoTime();
    Prediction prediction;
    try {
      prediction = model.student().predict(text.getText());
    } catch (RuntimeException e) {
      deadLetter(
          in,
          DeadLetters.reason(
              "scoring with " + model.name() + " v" + model.version() + " failed", e));
      return;
    }
    long micros = (System.nanoTime() - start) / 1_000;
    boolean uncertain = route.uncertain(prediction);
    var scored =
        ScoredText.newBuilder()
            .setId(text.getId())
            .setText(text.getText())
            .setSource(text.getSource())
            .setLabel(prediction.label())
            .setProbabilities(prediction.asMap())
            .setModelName(model.name())
            .setModelVersion(model.version())
            .setUncertain(uncertain)
            .setLatencyMicros(micros)
            .setScoredAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
            .build();
    var out = new Record<>(text.getId(), scored, in.timestamp());
    context.forward(out, ClassifierTopology.SCORED_SINK);
    if (config.perLabelTopics()) {
      context.forward(out, ClassifierTopology.PER_LABEL_SINK);
    }
    counters.addScored(uncertain);
    if (!in.sentToTeacher()) {
      var reason = route.route(text.getId(), uncertain);
      if (reason.isPresent()) {
        toTeacher(in, text, reason.get());
      } else {
        counters.addStudentOnly();
      }
    }
  }

  /**
   * Sends the original value to the teacher's topic, saying why in a header, keyed by the text's id
   * (the topic's contract), whatever key or none the text arrived with: the labeler's output and
   * the auditor's stores are partitioned by that id.
   */
  private void toTeacher(PendingRecord in, TextEvent text, TeacherRoute.Reason reason) {
    var headers = new RecordHeaders();
    headers.add(
        ClassifierTopology.TEACHER_REASON_HEADER, reason.id().getBytes(StandardCharsets.UTF_8));
    context.forward(
        new Record<>(
            text.getId().getBytes(StandardCharsets.UTF_8), in.value(), in.timestamp(), headers),
        ClassifierTopology.TEACHER_SINK);
    counters.addToTeacher(reason.id());
  }

  private void deadLetter(PendingRecord in, String reason) {
    LOG.warnf(
        "classifier: %s-%d@%d to the dead-letter topic: %s",
        in.topic(), Integer.valueOf(in.partition()), Long.valueOf(in.offset()), reason);
    var letter =
        DeadLetters.of(
            dlqTopic, ROLE, in.topic(), in.partition(), in.offset(), in.key(), in.value(), reason);
    context.forward(
        new Record<>(letter.key(), letter.value(), in.timestamp(), letter.headers()),
        ClassifierTopology.DLQ_SINK);
    counters.addDeadLettered();
  }
}
