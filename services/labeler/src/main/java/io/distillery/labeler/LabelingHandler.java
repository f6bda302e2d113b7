package io.distillery.labeler;

import io.distillery.common.DeadLetters;
import io.distillery.common.Probes;
import io.distillery.common.RoleName;
import io.distillery.common.TextChecks;
import io.distillery.common.Topics;
import io.distillery.common.TransactionalLoop;
import io.distillery.common.TransientErrors;
import io.distillery.schema.LabeledText;
import io.distillery.schema.TextEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A polled batch of raw records in, one labeled record or one dead letter per input out, in input
 * order. Usable texts go to the teacher in chunks of {@code chunkSize}, the chunks in parallel on
 * {@code calls} (whose size bounds the calls in flight). The exactly-once loop around it lives in
 * {@link TransactionalLoop}.
 */
public final class LabelingHandler implements TransactionalLoop.Handler {

  /** How long a batch waits when the teacher is unavailable. */
  static final Duration UNAVAILABLE_PAUSE = Duration.ofSeconds(10);

  private final Topics topics;
  private final Teacher teacher;
  private final String task;
  private final Clock clock;
  private final int chunkSize;
  private final ExecutorService calls;
  private final TeacherCache cache;
  private final Deserializer<TextEvent> reader;
  private final Serializer<LabeledText> writer;
  private final Serializer<String> keys = new StringSerializer();

  /**
   * @param chunkSize texts per teacher call
   * @param calls where teacher calls run; null runs them on the caller's thread
   * @param cache answers already paid for; null asks the teacher every time
   */
  public LabelingHandler(
      Topics topics,
      Teacher teacher,
      String task,
      Clock clock,
      int chunkSize,
      ExecutorService calls,
      TeacherCache cache) {
    this.topics = topics;
    this.teacher = teacher;
    this.task = task;
    this.clock = clock;
    this.chunkSize = Math.max(1, chunkSize);
    this.calls = calls;
    this.cache = cache;
    this.reader = topics.forTeacher().valueSerde().deserializer();
    this.writer = topics.labeled().valueSerde().serializer();
  }

  /** One text at a time, on the caller's thread. */
  public LabelingHandler(Topics topics, Teacher teacher, String task, Clock clock) {
    this(topics, teacher, task, clock, 1, null, null);
  }

  @Override
  public List<ProducerRecord<byte[], byte[]>> handle(List<ConsumerRecord<byte[], byte[]>> records) {
    var outputs = new ArrayList<ProducerRecord<byte[], byte[]>>(records.size());
    var events = new ArrayList<TextEvent>();
    var slots = new ArrayList<Integer>();
    for (var record : records) {
      TextEvent event;
      try {
        event = reader.deserialize(record.topic(), record.headers(), record.value());
      } catch (RuntimeException e) {
        outputs.add(
            deadLetter(
                record,
                DeadLetters.reason("not a TextEvent in the Confluent Avro wire format", e)));
        continue;
      }
      var problem = TextChecks.problem(event, TextChecks.MAX_TEXT_CHARS);
      if (problem.isPresent()) {
        outputs.add(deadLetter(record, problem.get()));
        continue;
      }
      // A slot to fill once the teacher has answered.
      slots.add(outputs.size());
      outputs.add(null);
      events.add(event);
    }
    var outcomes = labelThroughCache(events);
    for (int i = 0; i < slots.size(); i++) {
      int slot = slots.get(i);
      outputs.set(slot, output(records.get(slot), events.get(i), outcomes.get(i)));
    }
    return outputs;
  }

  /** Answers from the cache where it can, from the teacher otherwise; new answers are cached. */
  private List<Teacher.Outcome> labelThroughCache(List<TextEvent> events) {
    if (cache == null) {
      return label(events);
    }
    var outcomes = new ArrayList<Teacher.Outcome>(events.size());
    // Each distinct missing text is asked once, however often it appears in the batch.
    var missed = new java.util.LinkedHashMap<String, TextEvent>();
    var waiting = new java.util.HashMap<Integer, String>();
    for (var event : events) {
      // A drift probe asks whether the teacher still answers as it did: never from the cache.
      var hit =
          Probes.isProbe(event)
              ? java.util.Optional.<Teacher.TeacherLabel>empty()
              : cache.get(event.getText());
      if (hit.isPresent()) {
        // Paid for once already: this label costs nothing.
        outcomes.add(new Teacher.Labeled(hit.get().alreadyPaid()));
      } else {
        waiting.put(outcomes.size(), event.getText());
        outcomes.add(null);
        missed.putIfAbsent(event.getText(), event);
      }
    }
    var asked = new ArrayList<>(missed.values());
    var answers = label(asked);
    var byText = new java.util.HashMap<String, Teacher.Outcome>();
    for (int i = 0; i < asked.size(); i++) {
      byText.put(asked.get(i).getText(), answers.get(i));
    }
    // Paid-for answers are durable before the labels commit: a crash in between costs nothing.
    cache.flush();
    var charged = new java.util.HashSet<String>();
    new java.util.TreeMap<>(waiting)
        .forEach(
            (slot, text) -> {
              var answer = byText.get(text);
              // Only the first copy of a duplicated text carries what the answer cost.
              if (!charged.add(text) && answer instanceof Teacher.Labeled labeled) {
                answer = new Teacher.Labeled(labeled.label().alreadyPaid());
              }
              outcomes.set(slot, answer);
            });
    return outcomes;
  }

  /** Asks the teacher in chunks, in parallel when an executor is given; outcomes in input order. */
  private List<Teacher.Outcome> label(List<TextEvent> events) {
    var chunks = new ArrayList<List<TextEvent>>();
    for (int from = 0; from < events.size(); from += chunkSize) {
      chunks.add(events.subList(from, Math.min(events.size(), from + chunkSize)));
    }
    var outcomes = new ArrayList<Teacher.Outcome>(events.size());
    if (calls == null) {
      for (var chunk : chunks) {
        outcomes.addAll(ask(chunk));
      }
      return outcomes;
    }
    var futures = new ArrayList<Future<List<Teacher.Outcome>>>();
    for (var chunk : chunks) {
      futures.add(calls.submit(() -> ask(chunk)));
    }
    // Every chunk is waited for, even after one failed: the others' answers are paid for and
    // cached as they arrive, so the redo of this batch does not pay for them again.
    RuntimeException failure = null;
    for (var future : futures) {
      try {
        outcomes.addAll(future.get());
      } catch (ExecutionException e) {
        var cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
        failure = failure == null ? cause : failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransactionalLoop.RetryLater("interrupted", UNAVAILABLE_PAUSE, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return outcomes;
  }

  /**
   * One teacher call; its answers are cached at once. An unavailable teacher makes the batch wait
   * (as long as the server asked, at least {@link #UNAVAILABLE_PAUSE}).
   */
  private List<Teacher.Outcome> ask(List<TextEvent> chunk) {
    List<Teacher.Outcome> answers;
    try {
      answers = checked(chunk, teacher.label(chunk));
    } catch (Teacher.TeacherUnavailableException e) {
      var pause =
          e.retryAfter().filter(d -> d.compareTo(UNAVAILABLE_PAUSE) > 0).orElse(UNAVAILABLE_PAUSE);
      throw new TransactionalLoop.RetryLater(e.getMessage(), pause, e);
    }
    if (cache != null) {
      for (int i = 0; i < chunk.size(); i++) {
        if (answers.get(i) instanceof Teacher.Labeled labeled) {
          cache.put(chunk.get(i).getText(), labeled.label());
        }
      }
    }
    return answers;
  }

  private static List<Teacher.Outcome> checked(List<TextEvent> chunk, List<Teacher.Outcome> out) {
    if (out.size() != chunk.size()) {
      throw new IllegalStateException(
          "teacher returned " + out.size() + " outcomes for " + chunk.size() + " texts");
    }
    return out;
  }

  private ProducerRecord<byte[], byte[]> output(
      ConsumerRecord<byte[], byte[]> record, TextEvent event, Teacher.Outcome outcome) {
    if (outcome instanceof Teacher.Labeled labeled) {
      return labeled(event, labeled.label());
    }
    return deadLetter(record, ((Teacher.Failed) outcome).reason());
  }

  private ProducerRecord<byte[], byte[]> labeled(TextEvent event, Teacher.TeacherLabel answer) {
    var labeled =
        LabeledText.newBuilder()
            .setId(event.getId())
            .setText(event.getText())
            .setTask(task)
            .setLabel(answer.label())
            .setConfidence(answer.confidence())
            .setConsistency(answer.consistency())
            .setTeacher(teacher.identity())
            .setCostUsd(answer.costUsd())
            .setSource(event.getSource())
            .setLabeledAt(clock.instant())
            .build();
    var topic = topics.labeled().name();
    try {
      return new ProducerRecord<>(
          topic, keys.serialize(topic, event.getId()), writer.serialize(topic, labeled));
    } catch (RuntimeException e) {
      if (TransientErrors.isTransient(e)) {
        throw new TransactionalLoop.RetryLater(
            DeadLetters.reason("the schema registry cannot be reached", e), UNAVAILABLE_PAUSE, e);
      }
      throw e;
    }
  }

  private ProducerRecord<byte[], byte[]> deadLetter(
      ConsumerRecord<byte[], byte[]> record, String reason) {
    return DeadLetters.of(
        topics.dlq().name(),
        RoleName.LABELER.id(),
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        record.value(),
        reason);
  }
}
