package io.distillery.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.Codebook;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.Topics;
import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import io.distillery.schema.GateStatus;
import io.distillery.schema.LabeledText;
import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.QualityReport;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.SampleReason;
import io.distillery.schema.TeacherIdentity;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer against a real broker and registry: a worse challenger is rejected and the champion
 * stays the newest record; a person's promotion and rollback leave the right champion last.
 */
class ChampionChallengerTest {

  private static final Codebook CODEBOOK =
      new Codebook(
          "sentiment",
          "Opinion of a film",
          List.of(
              new Codebook.Label("negative", "A negative opinion."),
              new Codebook.Label("positive", "A positive opinion.")),
          "",
          List.of());
  private static final String[] GOOD = {"wonderful", "great", "brilliant", "moving", "superb"};
  private static final String[] BAD = {"awful", "boring", "dull", "terrible", "tedious"};

  @TempDir Path dir;

  private static String text(int i, boolean positive) {
    var words = positive ? GOOD : BAD;
    return words[i % 5] + " and " + words[(i / 5) % 5] + " film number " + i;
  }

  private static ProducerRecord<String, LabeledText> teacher(
      Topics topics, String id, String text, String label) {
    return new ProducerRecord<>(
        topics.labeled().name(),
        id,
        LabeledText.newBuilder()
            .setId(id)
            .setText(text)
            .setTask(CODEBOOK.task())
            .setLabel(label)
            .setTeacher(new TeacherIdentity("replay", "test", CODEBOOK.promptVersion()))
            .setLabeledAt(Instant.now())
            .build());
  }

  private Trainer trainer(SharedCluster cluster, Topics topics) {
    return trainer(cluster, topics, java.util.Map.of());
  }

  private Trainer trainer(
      SharedCluster cluster, Topics topics, java.util.Map<String, String> overrides) {
    var settings = new HashMap<String, String>();
    settings.put("distillery.kafka.bootstrap-servers", cluster.bootstrapServers());
    settings.put("distillery.registry.url", cluster.registryUrl());
    settings.put("distillery.state-dir", dir.toString());
    settings.put("distillery.trainer.retrain-every", "100");
    settings.put("distillery.trainer.min-training-size", "100");
    settings.put("distillery.trainer.min-evaluation-size", "20");
    settings.put("distillery.trainer.buckets", "4096");
    settings.put("distillery.trainer.epochs", "10");
    settings.putAll(overrides);
    var config =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(settings, "test", 500))
            .withMapping(DistilleryConfig.class)
            .withMapping(TrainerConfig.class)
            .build();
    return new Trainer(
        config.getConfigMapping(DistilleryConfig.class),
        config.getConfigMapping(TrainerConfig.class),
        topics,
        CODEBOOK);
  }

  @Test
  void shouldRejectAWorseChallengerKeepTheChampionAndFollowPromotionAndRollback() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var labels = new ArrayList<ProducerRecord<String, LabeledText>>();
    var verdicts = new ArrayList<ProducerRecord<String, ReviewVerdict>>();
    for (int i = 0; i < 150; i++) {
      boolean positive = i % 2 == 0;
      labels.add(teacher(topics, "t" + i, text(i, positive), positive ? "positive" : "negative"));
    }
    for (int i = 0; i < 30; i++) {
      boolean positive = i % 2 == 0;
      var id = "h" + i;
      labels.add(teacher(topics, id, text(1000 + i, positive), positive ? "positive" : "negative"));
      verdicts.add(
          new ProducerRecord<>(
              topics.reviewVerdicts().name(),
              id,
              ReviewVerdict.newBuilder()
                  .setId(id)
                  .setTask(CODEBOOK.task())
                  .setLabel(positive ? "positive" : "negative")
                  .setReviewer("ann")
                  .setDecidedAt(Instant.now())
                  .build()));
    }
    Records.send(cluster.bootstrapServers(), topics.labeled(), labels);
    Records.send(cluster.bootstrapServers(), topics.reviewVerdicts(), verdicts);
    gatePasses(cluster, topics);

    try (var trainer = trainer(cluster, topics)) {
      trainer.start();
      var first = models(cluster, topics, 1);
      assertThat(first.get(0).getVersion()).isEqualTo(1);
      assertThat(first.get(0).getStatus()).isEqualTo(ModelStatus.PROMOTED);
      assertThat(first.get(0).getMetrics().get("macro_f1")).isEqualTo(1.0);
    }

    // The teacher turns: 300 new labels, each the opposite of the truth, written while no trainer
    // runs, so the next one trains once on all of them. The challenger learns them and does worse
    // on the people's labels than the champion.
    var flipped = new ArrayList<ProducerRecord<String, LabeledText>>();
    for (int i = 0; i < 300; i++) {
      boolean positive = i % 2 == 0;
      flipped.add(
          teacher(topics, "f" + i, text(2000 + i, positive), positive ? "negative" : "positive"));
    }
    Records.send(cluster.bootstrapServers(), topics.labeled(), flipped);

    // A new trainer rebuilds its state from the topics: v1 is the champion, v2 comes next.
    try (var trainer = trainer(cluster, topics)) {
      trainer.start();
      var second = models(cluster, topics, 3);
      assertThat(second.get(1).getVersion()).isEqualTo(2);
      assertThat(second.get(1).getStatus()).isEqualTo(ModelStatus.REJECTED);
      assertThat(second.get(1).getStatusReason()).contains("worse than champion v1");
      assertThat(second.get(1).getTrainingSize()).isEqualTo(450);
      // The champion restated last, so that compaction keeps it.
      assertThat(second.get(2).getVersion()).isEqualTo(1);
      assertThat(second.get(2).getStatus()).isEqualTo(ModelStatus.PROMOTED);
      assertThat(trainer.champion()).map(ModelVersion::getVersion).contains(1L);

      trainer.promote(2, "ops");
      trainer.rollback(2, "ops");

      var all = models(cluster, topics, 7);
      assertThat(all).hasSize(7);
      assertThat(all.subList(3, 7))
          .extracting(m -> "v" + m.getVersion() + " " + m.getStatus())
          .containsExactly("v1 RETIRED", "v2 PROMOTED", "v2 RETIRED", "v1 PROMOTED");
      assertThat(all.get(6).getStatusReason()).isEqualTo("rollback of v2 by ops");
      assertThat(trainer.champion()).map(ModelVersion::getVersion).contains(1L);
      assertThat(trainer.versions())
          .extracting(m -> "v" + m.getVersion() + " " + m.getStatus())
          .containsExactly("v1 PROMOTED", "v2 RETIRED");
    }
  }

  private static void gatePasses(SharedCluster cluster, Topics topics) {
    Records.send(
        cluster.bootstrapServers(),
        topics.qualityReports(),
        List.of(
            new ProducerRecord<>(
                topics.qualityReports().name(),
                CODEBOOK.task(),
                QualityReport.newBuilder()
                    .setTask(CODEBOOK.task())
                    .setPromptVersion(CODEBOOK.promptVersion())
                    .setReviewed(300)
                    .setAgreed(290)
                    .setGate(GateStatus.PASS)
                    .setGeneratedAt(Instant.now())
                    .build())));
  }

  private static ProducerRecord<String, ReviewVerdict> verdict(
      Topics topics, String id, String label) {
    return new ProducerRecord<>(
        topics.reviewVerdicts().name(),
        id,
        ReviewVerdict.newBuilder()
            .setId(id)
            .setTask(CODEBOOK.task())
            .setLabel(label)
            .setReviewer("ann")
            .setDecidedAt(Instant.now())
            .build());
  }

  /**
   * A start reads only the training window of the labeled topic and trains on it; the texts people
   * labelled come from their review requests, even when their teacher labels lie before the window.
   */
  @Test
  void shouldTrainOnTheWindowAndKeepPeoplesTextsFromTheirReviewRequests() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var labels = new ArrayList<ProducerRecord<String, LabeledText>>();
    var requests = new ArrayList<ProducerRecord<String, ReviewRequest>>();
    var verdicts = new ArrayList<ProducerRecord<String, ReviewVerdict>>();
    for (int i = 0; i < 30; i++) {
      boolean positive = i % 2 == 0;
      var id = "h" + i;
      var label = positive ? "positive" : "negative";
      var text = text(1000 + i, positive);
      labels.add(teacher(topics, id, text, label));
      requests.add(
          new ProducerRecord<>(
              topics.reviewRequests().name(),
              id,
              ReviewRequest.newBuilder()
                  .setId(id)
                  .setText(text)
                  .setTask(CODEBOOK.task())
                  .setPromptVersion(CODEBOOK.promptVersion())
                  .setReason(SampleReason.UNIFORM)
                  .setRequestedAt(Instant.now())
                  .build()));
      verdicts.add(verdict(topics, id, label));
    }
    // 500 labels after those 30: a window of 200 starts at offset 330 and never reads the 30.
    for (int i = 0; i < 500; i++) {
      boolean positive = i % 2 == 0;
      labels.add(teacher(topics, "t" + i, text(i, positive), positive ? "positive" : "negative"));
    }
    Records.send(cluster.bootstrapServers(), topics.labeled(), labels);
    Records.send(cluster.bootstrapServers(), topics.reviewRequests(), requests);
    Records.send(cluster.bootstrapServers(), topics.reviewVerdicts(), verdicts);
    gatePasses(cluster, topics);

    try (var trainer =
        trainer(cluster, topics, java.util.Map.of("distillery.trainer.training-window", "200"))) {
      trainer.start();
      var model = models(cluster, topics, 1).get(0);
      assertThat(model.getTrainingSize()).as("the window, not the topic").isEqualTo(200);
      assertThat(model.getMetrics().get("eval_size")).isEqualTo(30.0);
      assertThat(model.getMetrics().get("macro_f1")).isEqualTo(1.0);
      assertThat(trainer.health().detail()).contains("200 teacher labels");
    }
  }

  private static List<ModelVersion> models(SharedCluster cluster, Topics topics, int count) {
    return Records.readUntil(
            cluster.bootstrapServers(),
            topics.models(),
            Duration.ofSeconds(120),
            r -> r.size() >= count)
        .stream()
        .map(r -> r.value())
        .toList();
  }
}
