package io.distillery.labeler;

import static io.distillery.labeler.LabelerFixtures.BOOK;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
import io.distillery.common.Topics;
import io.distillery.common.TransactionalLoop;
import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import io.distillery.labeler.openai.OpenAiTeacher;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The labeler with the OpenAI-compatible teacher, through the real broker, against a stub that
 * speaks the OpenAI format: nothing paid twice, nothing dropped when the budget runs out.
 */
class OpenAiLabelerTest {

  private final MockWebServer llm = new MockWebServer();

  @BeforeEach
  void startLlm() throws Exception {
    llm.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            var body = request.getBody() == null ? "" : request.getBody().utf8();
            var label = body.contains("good") ? "yes" : "no";
            return new MockResponse.Builder()
                .addHeader("Content-Type", "application/json")
                .body(
                    "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1767225600,"
                        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                        + "\"assistant\",\"content\":\"{\\\"label\\\":\\\""
                        + label
                        + "\\\"}\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":100,"
                        + "\"completion_tokens\":10,\"total_tokens\":110}}")
                .build();
          }
        });
    llm.start();
  }

  @AfterEach
  void stopLlm() throws Exception {
    llm.close();
  }

  private SmallRyeConfig config(Topics topics, Map<String, String> extra) {
    var cluster = SharedCluster.get();
    var props = new HashMap<String, String>();
    props.put("distillery.kafka.bootstrap-servers", cluster.bootstrapServers());
    props.put("distillery.registry.url", cluster.registryUrl());
    props.put("distillery.labeler.group-id", topics.prefix() + "-labeler");
    props.put("distillery.teacher.kind", "openai");
    props.put("distillery.teacher.model", "gpt-4o-mini");
    props.put("distillery.teacher.base-url", llm.url("/v1").toString());
    props.put("distillery.teacher.samples", "1");
    props.put("distillery.teacher.max-in-flight", "2");
    props.put("distillery.teacher.initial-backoff", "PT0.01S");
    props.put("distillery.teacher.prices.\"gpt-4o-mini\".input", "0.15");
    props.put("distillery.teacher.prices.\"gpt-4o-mini\".output", "0.60");
    props.putAll(extra);
    return new SmallRyeConfigBuilder()
        .withSources(new PropertiesConfigSource(props, "test", 500))
        .withMapping(DistilleryConfig.class)
        .withMapping(LabelerConfig.class)
        .withMapping(TeacherConfig.class)
        .build();
  }

  private static Labeler labeler(SmallRyeConfig config, Topics topics) {
    return new Labeler(
        config.getConfigMapping(DistilleryConfig.class),
        config.getConfigMapping(LabelerConfig.class),
        config.getConfigMapping(TeacherConfig.class),
        topics,
        BOOK);
  }

  @Test
  void shouldCallTheLlmOncePerDistinctTextAcrossARestart() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var config = config(topics, Map.of());

    try (var labeler = labeler(config, topics)) {
      labeler.start();
      send(topics, "a", "a good phone", "b", "a bad phone", "c", "a good phone");
      var labeled =
          Records.readUntil(
              cluster.bootstrapServers(),
              topics.labeled(),
              Duration.ofSeconds(60),
              r -> r.size() >= 3);
      assertThat(labeled).extracting(r -> r.value().getLabel()).containsExactly("yes", "no", "yes");
      assertThat(labeled.get(0).value().getTeacher().getKind()).isEqualTo("openai");
      assertThat(labeled.get(0).value().getCostUsd())
          .isCloseTo((100 * 0.15 + 10 * 0.60) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(llm.getRequestCount()).isEqualTo(2);

    try (var labeler = labeler(config, topics)) {
      labeler.start();
      send(topics, "d", "a bad phone", "e", "a good phone", "f", "a good tablet");
      var labeled =
          Records.readUntil(
              cluster.bootstrapServers(),
              topics.labeled(),
              Duration.ofSeconds(60),
              r -> r.size() >= 6);
      assertThat(labeled).hasSize(6);
    }
    assertThat(llm.getRequestCount()).as("only the new text was paid for").isEqualTo(3);
  }

  @Test
  void shouldHoldTextsWithoutDroppingThemOnceTheBudgetIsSpent() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    // One call costs $0.000021: the budget is spent after the first.
    var config = config(topics, Map.of("distillery.teacher.budget-usd", "0.00002"));

    try (var labeler = labeler(config, topics)) {
      labeler.start();
      send(topics, "a", "a good phone");
      Records.readUntil(
          cluster.bootstrapServers(), topics.labeled(), Duration.ofSeconds(60), r -> r.size() >= 1);
      send(topics, "b", "a bad phone", "c", "a good tablet");
      var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!labeler.health().detail().contains("budget") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }

      assertThat(labeler.health().detail()).contains("waiting").contains("budget");
      var labeled =
          Records.readUntil(
              cluster.bootstrapServers(), topics.labeled(), Duration.ofSeconds(3), r -> false);
      var dead =
          Records.readUntil(
              cluster.bootstrapServers(), topics.dlq(), Duration.ofSeconds(1), r -> false);
      assertThat(labeled).hasSize(1);
      assertThat(dead).as("waiting texts are not dead-lettered").isEmpty();
      assertThat(llm.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void shouldNotPayAgainForAnswersWhoseLabelsNeverCommitted() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var teacherConfig = config(topics, Map.of()).getConfigMapping(TeacherConfig.class);
    var group = topics.prefix() + "-labeler";
    var raw = List.of(topics.forTeacher().name());
    try (var producer =
            new KafkaProducer<byte[], byte[]>(KafkaClients.producer(cluster.bootstrapServers()));
        var teacher = new OpenAiTeacher(BOOK, teacherConfig)) {
      var scope = Labeler.cacheScope(teacher, teacherConfig);
      var handler =
          new LabelingHandler(
              topics,
              teacher,
              BOOK.task(),
              Clock.systemUTC(),
              1,
              null,
              new TeacherCache(topics.teacherCache(), scope, producer));
      TransactionalLoop.Handler crashing =
          records -> {
            handler.handle(records);
            throw new IllegalStateException("simulated crash between the LLM call and the commit");
          };
      var first =
          new TransactionalLoop("labeler", cluster.bootstrapServers(), group, raw, crashing);
      first.start();
      send(topics, "a", "a good phone", "b", "a bad phone");
      var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (first.failure() == null && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      first.close();
      assertThat(first.failure()).contains("simulated crash");
      assertThat(llm.getRequestCount()).isEqualTo(2);

      var cache = new TeacherCache(topics.teacherCache(), scope, producer);
      cache.load(cluster.bootstrapServers());
      var second =
          new TransactionalLoop(
              "labeler",
              cluster.bootstrapServers(),
              group,
              raw,
              new LabelingHandler(topics, teacher, BOOK.task(), Clock.systemUTC(), 1, null, cache));
      second.start();
      try {
        var labeled =
            Records.readUntil(
                cluster.bootstrapServers(),
                topics.labeled(),
                Duration.ofSeconds(60),
                r -> r.size() >= 2);
        Thread.sleep(500);
        labeled =
            Records.readUntil(
                cluster.bootstrapServers(), topics.labeled(), Duration.ofSeconds(3), r -> false);
        assertThat(labeled).extracting(r -> r.key()).containsExactly("a", "b");
      } finally {
        second.close();
      }
      assertThat(llm.getRequestCount()).as("the redo was answered from the cache").isEqualTo(2);
    }
  }

  private static void send(Topics topics, String... idText) {
    LabelerFixtures.sendTexts(SharedCluster.get().bootstrapServers(), topics, idText);
  }
}
