package io.distillery.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.Codebook;
import io.distillery.common.DeadLetters;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.Topics;
import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import io.distillery.schema.LabeledText;
import io.distillery.schema.QualityReport;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.TeacherIdentity;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verdicts written by clients that are not Java, on the real broker and registry: librdkafka (the
 * Python, Go, Node and .NET clients) partitions keys with CRC32 by default, not murmur2, and some
 * tools pick a partition themselves. Every verdict must count whatever partition it was written to.
 */
public class ForeignVerdictsOnBrokerTest {

  private static final int TEXTS = 120;
  private static final int PARTITIONS = 3;
  private static final Codebook CODEBOOK =
      new Codebook(
          "sentiment",
          "Opinion of a film",
          List.of(
              new Codebook.Label("negative", "A negative opinion."),
              new Codebook.Label("positive", "A positive opinion.")),
          "",
          List.of());

  @TempDir Path state;

  /** librdkafka's {@code consistent_random} partitioner for a keyed record: CRC32 of the key. */
  private static int crc32Partition(String key) {
    var crc = new CRC32();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % PARTITIONS);
  }

  /** The Java client's default partitioner for a keyed record: murmur2 of the key. */
  private static int murmur2Partition(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  private Auditor auditor(SharedCluster cluster, Topics topics) {
    var settings = new HashMap<String, String>();
    settings.put("distillery.kafka.bootstrap-servers", cluster.bootstrapServers());
    settings.put("distillery.kafka.partitions", Integer.toString(PARTITIONS));
    settings.put("distillery.registry.url", cluster.registryUrl());
    settings.put("distillery.state-dir", state.toString());
    settings.put("distillery.auditor.application-id", topics.prefix() + "-auditor");
    settings.put("distillery.auditor.sample-rate", "1.0");
    settings.put("distillery.auditor.stratified-min-per-label", "0");
    settings.put("distillery.auditor.low-confidence-threshold", "0");
    settings.put("distillery.auditor.disagreement-rate", "0");
    settings.put("distillery.auditor.double-review-share", "0");
    var config =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(settings, "test", 500))
            .withMapping(DistilleryConfig.class)
            .withMapping(AuditorConfig.class)
            .build();
    return new Auditor(
        config.getConfigMapping(DistilleryConfig.class),
        config.getConfigMapping(AuditorConfig.class),
        topics,
        CODEBOOK);
  }

  private static LabeledText teacherLabel(String id, String label) {
    return LabeledText.newBuilder()
        .setId(id)
        .setText("text of " + id)
        .setTask(CODEBOOK.task())
        .setLabel(label)
        .setConfidence(0.9)
        .setTeacher(
            TeacherIdentity.newBuilder()
                .setKind("replay")
                .setModel("label")
                .setPromptVersion("v1")
                .build())
        .setSource("test")
        .setLabeledAt(Instant.now())
        .build();
  }

  @Test
  void shouldCountEveryVerdictWhateverPartitionItsProducerChose() {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(PARTITIONS);
    var labels = new ArrayList<ProducerRecord<String, LabeledText>>();
    for (int i = 0; i < TEXTS; i++) {
      var id = "text-" + i;
      labels.add(
          new ProducerRecord<>(
              topics.labeled().name(), id, teacherLabel(id, i % 2 == 0 ? "positive" : "negative")));
    }
    // A third of the verdicts as librdkafka's default partitioner places them, a third on a
    // partition murmur2 would never choose, a third without a key (the id only in the value).
    var verdicts = new ArrayList<ProducerRecord<String, ReviewVerdict>>();
    int misplaced = 0;
    for (int i = 0; i < TEXTS; i++) {
      var id = "text-" + i;
      var verdict =
          ReviewVerdict.newBuilder()
              .setId(id)
              .setTask(CODEBOOK.task())
              .setLabel(i % 4 == 0 ? "negative" : i % 2 == 0 ? "positive" : "negative")
              .setReviewer("python-tool")
              .setDecidedAt(Instant.now())
              .build();
      int partition =
          switch (i % 3) {
            case 0 -> crc32Partition(id);
            case 1 -> (murmur2Partition(id) + 1) % PARTITIONS;
            default -> murmur2Partition(id);
          };
      if (partition != murmur2Partition(id)) {
        misplaced++;
      }
      var key = i % 3 == 2 ? null : id;
      verdicts.add(new ProducerRecord<>(topics.reviewVerdicts().name(), partition, key, verdict));
    }
    assertThat(misplaced)
        .as("verdicts on another partition than their text's")
        .isGreaterThan(TEXTS / 2);

    try (var auditor = auditor(cluster, topics)) {
      auditor.start();
      Records.send(cluster.bootstrapServers(), topics.labeled(), labels);
      Records.readUntil(
          cluster.bootstrapServers(),
          topics.reviewRequests(),
          Duration.ofSeconds(120),
          r -> r.size() >= TEXTS);
      Records.send(cluster.bootstrapServers(), topics.reviewVerdicts(), verdicts);

      var reports =
          Records.readUntil(
              cluster.bootstrapServers(),
              topics.qualityReports(),
              Duration.ofSeconds(120),
              r -> !r.isEmpty() && r.get(r.size() - 1).value().getReviewed() >= TEXTS);

      assertThat(reports).isNotEmpty();
      QualityReport last = reports.get(reports.size() - 1).value();
      assertThat(last.getReviewed()).isEqualTo(TEXTS);
      // Every fourth verdict disagrees with the teacher's "positive": a join on the wrong text
      // would show.
      assertThat(last.getAgreed()).isEqualTo(TEXTS - TEXTS / 4);
      assertThat(auditor.verdicts().accepted()).isEqualTo(TEXTS);
      assertThat(auditor.verdicts().deadLettered()).isZero();
      var letters =
          Records.readUntil(
              cluster.bootstrapServers(), topics.dlq(), Duration.ofSeconds(2), r -> false);
      assertThat(letters.stream().map(ConsumerRecord::headers))
          .noneMatch(h -> h.lastHeader(DeadLetters.SOURCE_TOPIC) != null);
    }
  }

  /**
   * People may answer before the teacher's label reaches the auditor (a tool replaying its answers,
   * a label delayed by retries). A verdict, then its text's label within moments: each counts once.
   * With the stores' record caches on, the join saw the label against the cached verdict, then
   * again when the cache flushed the verdict, and counted it twice (6 to 54 of 120 in
   * DashboardAndExportIT, depending on timing).
   */
  @Test
  void shouldCountAVerdictOnceWhenItsTeacherLabelComesAfterIt() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(PARTITIONS);
    try (var auditor = auditor(cluster, topics)) {
      auditor.start();
      for (int i = 0; i < TEXTS; i++) {
        var id = "late-" + i;
        Records.send(
            cluster.bootstrapServers(),
            topics.reviewVerdicts(),
            List.of(
                new ProducerRecord<>(
                    topics.reviewVerdicts().name(),
                    id,
                    ReviewVerdict.newBuilder()
                        .setId(id)
                        .setTask(CODEBOOK.task())
                        .setLabel("positive")
                        .setReviewer("early-bird")
                        .setDecidedAt(Instant.now())
                        .build())));
        // The label follows while the verdict is still on its way through the auditor.
        Thread.sleep(i % 12 * 10L);
        Records.send(
            cluster.bootstrapServers(),
            topics.labeled(),
            List.of(
                new ProducerRecord<>(topics.labeled().name(), id, teacherLabel(id, "positive"))));
      }
      Records.readUntil(
          cluster.bootstrapServers(),
          topics.qualityReports(),
          Duration.ofSeconds(120),
          r -> !r.isEmpty() && r.get(r.size() - 1).value().getReviewed() >= TEXTS);
      // Past several commits: a second count would have been published by now.
      Thread.sleep(3_000);
      var reports =
          Records.readUntil(
              cluster.bootstrapServers(),
              topics.qualityReports(),
              Duration.ofSeconds(5),
              r -> false);
      assertThat(reports.get(reports.size() - 1).value().getReviewed()).isEqualTo(TEXTS);
      assertThat(auditor.verdicts().accepted()).isEqualTo(TEXTS);
    }
  }
}
