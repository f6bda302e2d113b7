package io.distillery.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.DistilleryConfig;
import io.distillery.common.Topics;
import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import io.distillery.schema.ModelStatus;
import io.distillery.schema.ScoredText;
import io.distillery.schema.TextEvent;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier against a real broker and registry: a model promoted mid-stream takes over at one
 * point per partition, and a classifier killed mid-stream (SIGKILL, in a JVM of its own) loses and
 * duplicates nothing once another takes over. Both read the scored topic read-committed, as
 * subscribers do.
 */
class ClassifierOnBrokerTest {

  @TempDir Path dir;

  static Classifier classifier(String bootstrap, String registry, String stateDir, Topics topics) {
    var settings = new HashMap<String, String>();
    settings.put("distillery.kafka.bootstrap-servers", bootstrap);
    settings.put("distillery.registry.url", registry);
    settings.put("distillery.state-dir", stateDir);
    settings.put("distillery.classifier.application-id", topics.prefix() + "-classifier");
    var config =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(settings, "test", 500))
            .withMapping(DistilleryConfig.class)
            .withMapping(ClassifierConfig.class)
            .build();
    return new Classifier(
        config.getConfigMapping(DistilleryConfig.class),
        config.getConfigMapping(ClassifierConfig.class),
        topics,
        ClassifierProcess.codebook());
  }

  private static List<ProducerRecord<String, TextEvent>> texts(Topics topics, int from, int to) {
    var out = new ArrayList<ProducerRecord<String, TextEvent>>();
    for (int i = from; i < to; i++) {
      var id = "t" + i;
      var text = i % 2 == 0 ? "a wonderful, moving film " + i : "a terrible waste of time " + i;
      out.add(new ProducerRecord<>(topics.raw().name(), id, TestFixtures.text(id, text)));
    }
    return out;
  }

  /** Every scored record, read until {@code expected} arrived and then a little longer. */
  private static List<ConsumerRecord<String, ScoredText>> scored(
      SharedCluster cluster, Topics topics, int expected) {
    var first =
        Records.readUntil(
            cluster.bootstrapServers(),
            topics.scored(),
            Duration.ofSeconds(180),
            r -> r.size() >= expected);
    assertThat(first).as("scored records").hasSizeGreaterThanOrEqualTo(expected);
    // Read again from the start, waiting for any late duplicate.
    return Records.readUntil(
        cluster.bootstrapServers(), topics.scored(), Duration.ofSeconds(3), r -> false);
  }

  private static void assertEachIdOnce(List<ConsumerRecord<String, ScoredText>> scored, int n) {
    var ids = scored.stream().map(ConsumerRecord::key).toList();
    assertThat(ids).hasSize(n).doesNotHaveDuplicates();
    for (int i = 0; i < n; i++) {
      assertThat(ids).contains("t" + i);
    }
  }

  @Test
  void shouldSwitchVersionsAtOnePointPerPartitionAndScoreEveryTextOnce() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(3);
    var v1 = TestFixtures.saved(dir.resolve("models"), 1, ModelStatus.PROMOTED);
    var v2 = TestFixtures.saved(dir.resolve("models"), 2, ModelStatus.PROMOTED);
    Records.send(
        cluster.bootstrapServers(),
        topics.models(),
        List.of(new ProducerRecord<>(topics.models().name(), v1.getName(), v1)));

    try (var classifier =
        classifier(cluster.bootstrapServers(), cluster.registryUrl(), dir.toString(), topics)) {
      classifier.start();
      Records.send(cluster.bootstrapServers(), topics.raw(), texts(topics, 0, 2_500));
      // v2 is promoted while the stream runs: after v1 scored a thousand texts, with the rest of
      // the first half and the whole second half still to come.
      Records.readUntil(
          cluster.bootstrapServers(),
          topics.scored(),
          Duration.ofSeconds(120),
          r -> r.size() >= 1_000);
      Records.send(
          cluster.bootstrapServers(),
          topics.models(),
          List.of(new ProducerRecord<>(topics.models().name(), v2.getName(), v2)));
      Records.send(cluster.bootstrapServers(), topics.raw(), texts(topics, 2_500, 4_500));
      var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (classifier.model().map(m -> m.version()).orElse(0L) != 2L) {
        assertThat(System.nanoTime()).as("v2 loaded within 60 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      Records.send(cluster.bootstrapServers(), topics.raw(), texts(topics, 4_500, 5_000));

      var scored = scored(cluster, topics, 5_000);

      assertEachIdOnce(scored, 5_000);
      var byPartition =
          scored.stream()
              .collect(
                  Collectors.groupingBy(
                      ConsumerRecord::partition,
                      TreeMap::new,
                      Collectors.mapping(r -> r.value().getModelVersion(), Collectors.toList())));
      for (var versions : byPartition.values()) {
        // In offset order: v1 ... v1 then v2 ... v2 (or one of them only), never back and forth.
        int switches = 0;
        for (int i = 1; i < versions.size(); i++) {
          assertThat(versions.get(i)).isGreaterThanOrEqualTo(versions.get(i - 1));
          if (!versions.get(i).equals(versions.get(i - 1))) {
            switches++;
          }
        }
        assertThat(switches).isLessThanOrEqualTo(1);
      }
      assertThat(scored.get(scored.size() - 1).value().getModelVersion()).isIn(1L, 2L);
      assertThat(scored.stream().map(r -> r.value().getModelVersion()).collect(Collectors.toSet()))
          .as("both versions scored")
          .containsExactlyInAnyOrder(1L, 2L);
    }
  }

  @Test
  void shouldScoreEveryTextOnceWhateverPartitionItsProducerChose() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(3);
    var v1 = TestFixtures.saved(dir.resolve("models"), 1, ModelStatus.PROMOTED);
    Records.send(
        cluster.bootstrapServers(),
        topics.models(),
        List.of(new ProducerRecord<>(topics.models().name(), v1.getName(), v1)));
    // librdkafka's default partitioner (CRC32 of the key), a partition murmur2 would not pick, and
    // no key at all: the classifier keeps no state that depends on where a text arrived.
    var sent = new ArrayList<ProducerRecord<String, TextEvent>>();
    int misplaced = 0;
    for (var record : texts(topics, 0, 600)) {
      int i = Integer.parseInt(record.key().substring(1));
      var key = record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      var crc = new java.util.zip.CRC32();
      crc.update(key);
      int murmur2 =
          org.apache.kafka.common.utils.Utils.toPositive(
                  org.apache.kafka.common.utils.Utils.murmur2(key))
              % 3;
      int partition =
          switch (i % 3) {
            case 0 -> (int) (crc.getValue() % 3);
            case 1 -> (murmur2 + 1) % 3;
            default -> murmur2;
          };
      if (partition != murmur2) {
        misplaced++;
      }
      sent.add(
          new ProducerRecord<>(
              topics.raw().name(), partition, i % 3 == 2 ? null : record.key(), record.value()));
    }
    assertThat(misplaced).isGreaterThan(300);

    try (var classifier =
        classifier(cluster.bootstrapServers(), cluster.registryUrl(), dir.toString(), topics)) {
      classifier.start();
      Records.send(cluster.bootstrapServers(), topics.raw(), sent);
      var scored = scored(cluster, topics, 600);
      // Scored texts are keyed by the id in the text, whatever key (or none) it came with.
      assertThat(scored.stream().map(r -> r.value().getId()).toList())
          .hasSize(600)
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void shouldLoseAndDuplicateNothingWhenAClassifierIsKilledMidStream() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(2);
    var v1 = TestFixtures.saved(dir.resolve("models"), 1, ModelStatus.PROMOTED);
    Records.send(
        cluster.bootstrapServers(),
        topics.models(),
        List.of(new ProducerRecord<>(topics.models().name(), v1.getName(), v1)));
    Records.send(cluster.bootstrapServers(), topics.raw(), texts(topics, 0, 20_000));

    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ClassifierProcess.class.getName(),
                cluster.bootstrapServers(),
                cluster.registryUrl(),
                topics.prefix(),
                dir.resolve("crashing").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    try {
      // Killed once it has committed some of its work, in the middle of the rest.
      var some =
          Records.readUntil(
              cluster.bootstrapServers(),
              topics.scored(),
              Duration.ofSeconds(120),
              r -> r.size() >= 2_000);
      assertThat(some).hasSizeGreaterThanOrEqualTo(2_000);
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    // Another classifier, with the same application id and fresh local state, takes over.
    try (var classifier =
        classifier(
            cluster.bootstrapServers(),
            cluster.registryUrl(),
            dir.resolve("after").toString(),
            topics)) {
      classifier.start();
      assertEachIdOnce(scored(cluster, topics, 20_000), 20_000);
    }
  }
}
