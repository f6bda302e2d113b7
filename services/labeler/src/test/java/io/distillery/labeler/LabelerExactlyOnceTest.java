package io.distillery.labeler;

import static io.distillery.labeler.LabelerFixtures.BOOK;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.TransactionalLoop;
import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import io.distillery.schema.TextEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * No label lost or duplicated across a crash in the middle of a batch and a restart (DESIGN.md,
 * quality bars).
 */
class LabelerExactlyOnceTest {

  @Test
  void shouldLabelEveryTextExactlyOnceAcrossACrashBetweenTeacherCallAndCommit() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var group = topics.prefix() + "-labeler";
    var handler =
        new LabelingHandler(
            topics, new ReplayTeacher(BOOK, "llm_label"), BOOK.task(), Clock.systemUTC());
    var seen = new AtomicInteger();
    // The teacher is asked, then the process dies before the transaction commits.
    TransactionalLoop.Handler crashing =
        records -> {
          var outputs = handler.handle(records);
          if (seen.addAndGet(records.size()) >= 150) {
            throw new IllegalStateException("simulated crash between the teacher call and commit");
          }
          return outputs;
        };

    var first =
        new TransactionalLoop(
            "labeler",
            cluster.bootstrapServers(),
            group,
            List.of(topics.forTeacher().name()),
            crashing);
    first.start();
    Records.send(
        cluster.bootstrapServers(),
        topics.forTeacher(),
        events(topics.forTeacher().name(), 0, 100));
    var committed =
        Records.readUntil(
            cluster.bootstrapServers(),
            topics.labeled(),
            Duration.ofSeconds(60),
            r -> r.size() >= 100);
    assertThat(committed).hasSize(100);
    Records.send(
        cluster.bootstrapServers(),
        topics.forTeacher(),
        events(topics.forTeacher().name(), 100, 300));
    waitFor(() -> first.failure() != null, Duration.ofSeconds(60));
    first.close();
    assertThat(first.failure()).contains("simulated crash");
    assertThat(seen.get()).isGreaterThan(100);

    var second =
        new TransactionalLoop(
            "labeler",
            cluster.bootstrapServers(),
            group,
            List.of(topics.forTeacher().name()),
            handler);
    second.start();
    try {
      var labeled =
          Records.readUntil(
              cluster.bootstrapServers(),
              topics.labeled(),
              Duration.ofSeconds(60),
              r -> r.size() >= 300);
      Thread.sleep(1000);
      labeled =
          Records.readUntil(
              cluster.bootstrapServers(), topics.labeled(), Duration.ofSeconds(5), r -> false);

      assertThat(labeled).hasSize(300);
      assertThat(labeled.stream().map(ConsumerRecord::key).distinct().count()).isEqualTo(300);
    } finally {
      second.close();
    }
  }

  private static List<ProducerRecord<String, TextEvent>> events(String topic, int from, int to) {
    var out = new ArrayList<ProducerRecord<String, TextEvent>>();
    for (int i = from; i < to; i++) {
      var event =
          TextEvent.newBuilder()
              .setId("text-" + i)
              .setText("text number " + i)
              .setIngestedAt(Instant.now())
              .setMetadata(Map.of("llm_label", i % 2 == 0 ? "yes" : "no"))
              .build();
      out.add(new ProducerRecord<>(topic, event.getId(), event));
    }
    return out;
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }
}
