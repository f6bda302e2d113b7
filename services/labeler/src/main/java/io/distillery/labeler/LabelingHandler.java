package io.distillery.labeler;

import io.distillery.common.DeadLetters;
import io.distillery.common.TextChecks;
import io.distillery.common.Topics;
import io.distillery.common.TransactionalLoop;
import io.distillery.schema.LabeledText;
import io.distillery.schema.TextEvent;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One raw record in, one labeled record or one dead letter out. Pure apart from the teacher: the
 * exactly-once loop around it lives in {@link TransactionalLoop}.
 */
public final class LabelingHandler implements TransactionalLoop.Handler {

  private final Topics topics;
  private final Teacher teacher;
  private final String task;
  private final Clock clock;
  private final Deserializer<TextEvent> reader;
  private final Serializer<LabeledText> writer;
  private final Serializer<String> keys = new StringSerializer();

  public LabelingHandler(Topics topics, Teacher teacher, String task, Clock clock) {
    this.topics = topics;
    this.teacher = teacher;
    this.task = task;
    this.clock = clock;
    this.reader = topics.raw().valueSerde().deserializer();
    this.writer = topics.labeled().valueSerde().serializer();
  }

  @Override
  public List<ProducerRecord<byte[], byte[]>> handle(ConsumerRecord<byte[], byte[]> record) {
    TextEvent event;
    try {
      event = reader.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      return deadLetter(
          record, DeadLetters.reason("not a TextEvent in the Confluent Avro wire format", e));
    }
    var problem = TextChecks.problem(event, TextChecks.MAX_TEXT_CHARS);
    if (problem.isPresent()) {
      return deadLetter(record, problem.get());
    }
    var text = event.getText();
    Teacher.TeacherLabel answer;
    try {
      answer = teacher.label(event);
    } catch (Teacher.TeacherException e) {
      return deadLetter(record, e.getMessage());
    }
    var labeled =
        LabeledText.newBuilder()
            .setId(event.getId())
            .setText(text)
            .setTask(task)
            .setLabel(answer.label())
            .setConfidence(answer.confidence())
            .setTeacher(teacher.identity())
            .setCostUsd(answer.costUsd())
            .setSource(event.getSource())
            .setLabeledAt(clock.instant())
            .build();
    var topic = topics.labeled().name();
    return List.of(
        new ProducerRecord<>(
            topic, keys.serialize(topic, event.getId()), writer.serialize(topic, labeled)));
  }

  private List<ProducerRecord<byte[], byte[]>> deadLetter(
      ConsumerRecord<byte[], byte[]> record, String reason) {
    return List.of(
        DeadLetters.of(
            topics.dlq().name(),
            "labeler",
            record.topic(),
            record.partition(),
            record.offset(),
            record.key(),
            record.value(),
            reason));
  }
}
