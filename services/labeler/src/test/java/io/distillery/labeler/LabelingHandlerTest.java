package io.distillery.labeler;

import static io.distillery.labeler.LabelerFixtures.BOOK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillery.common.Probes;
import io.distillery.common.TransactionalLoop;
import io.distillery.common.testing.AvroBinarySerde;
import io.distillery.schema.TeacherIdentity;
import io.distillery.schema.TextEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class LabelingHandlerTest {

  private final io.distillery.common.Topics topics = AvroBinarySerde.topics("test");

  /** A paid teacher that is unavailable for one text the first time it is asked. */
  static final class FlakyTeacher implements Teacher {
    final List<String> asked = new CopyOnWriteArrayList<>();
    final AtomicBoolean down = new AtomicBoolean(true);

    @Override
    public TeacherIdentity identity() {
      return new TeacherIdentity("flaky", "m", BOOK.promptVersion());
    }

    @Override
    public boolean paid() {
      return true;
    }

    @Override
    public List<Outcome> label(List<TextEvent> events) {
      var out = new ArrayList<Outcome>();
      for (var event : events) {
        if (event.getText().equals("text 5") && down.getAndSet(false)) {
          throw new TeacherUnavailableException("503 five times", null, Duration.ofMinutes(3));
        }
        asked.add(event.getText());
        out.add(new Labeled(new TeacherLabel("yes", null, null, 0.01, 10, 1)));
      }
      return out;
    }
  }

  @Test
  void shouldKeepTheAnswersOfOtherChunksWhenOneChunkMustWait() {
    var teacher = new FlakyTeacher();
    var cacheWrites =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    var cache = new TeacherCache(topics.teacherCache(), "scope", cacheWrites);
    var calls = Executors.newFixedThreadPool(4);
    try {
      var handler =
          new LabelingHandler(topics, teacher, BOOK.task(), Clock.systemUTC(), 1, calls, cache);
      var batch = records(10);

      assertThatThrownBy(() -> handler.handle(batch))
          .isInstanceOf(TransactionalLoop.RetryLater.class)
          .satisfies(
              e ->
                  assertThat(((TransactionalLoop.RetryLater) e).after())
                      .isEqualTo(Duration.ofMinutes(3)));
      assertThat(teacher.asked).hasSize(9);
      assertThat(cacheWrites.history()).as("the nine paid answers are durable").hasSize(9);

      var outputs = handler.handle(batch);

      assertThat(outputs).hasSize(10);
      assertThat(teacher.asked)
          .as("only the text that failed is asked again")
          .hasSize(10)
          .containsOnlyOnce("text 5");
    } finally {
      calls.shutdownNow();
    }
  }

  @Test
  void shouldAskTheTeacherAfreshForADriftProbeTextAlreadyInTheCache() throws Exception {
    var teacher = new FlakyTeacher();
    teacher.down.set(false);
    var cacheWrites =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    var cache = new TeacherCache(topics.teacherCache(), "scope", cacheWrites);
    var calls = Executors.newFixedThreadPool(2);
    try {
      var handler =
          new LabelingHandler(topics, teacher, BOOK.task(), Clock.systemUTC(), 1, calls, cache);
      handler.handle(records(3));
      assertThat(teacher.asked).hasSize(3);

      handler.handle(records(3));
      assertThat(teacher.asked).as("the cache answers a repeat").hasSize(3);

      handler.handle(records(3, java.util.Map.of(Probes.RUN_METADATA, "2026-03-01T00:00:00Z")));
      assertThat(teacher.asked)
          .as("a probe run asks again")
          .hasSize(6)
          .containsExactlyInAnyOrder("text 0", "text 1", "text 2", "text 0", "text 1", "text 2");
    } finally {
      calls.shutdownNow();
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> records(int n) {
    return records(n, java.util.Map.of());
  }

  private List<ConsumerRecord<byte[], byte[]>> records(
      int n, java.util.Map<String, String> metadata) {
    var serializer = topics.forTeacher().valueSerde().serializer();
    var out = new ArrayList<ConsumerRecord<byte[], byte[]>>();
    for (int i = 0; i < n; i++) {
      var event =
          TextEvent.newBuilder()
              .setId("id-" + i)
              .setText("text " + i)
              .setIngestedAt(Instant.EPOCH)
              .setMetadata(metadata)
              .build();
      out.add(
          new ConsumerRecord<>(
              topics.forTeacher().name(),
              0,
              i,
              ("id-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8),
              serializer.serialize(topics.forTeacher().name(), event)));
    }
    return out;
  }
}
