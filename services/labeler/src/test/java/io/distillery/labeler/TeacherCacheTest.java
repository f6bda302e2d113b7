package io.distillery.labeler;

import static io.distillery.labeler.LabelerFixtures.BOOK;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.DistilleryConfig;
import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import io.distillery.schema.TeacherIdentity;
import io.distillery.schema.TextEvent;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A restart, a replay or a duplicate text never pays the teacher twice. */
class TeacherCacheTest {

  /** A paid teacher that remembers every text it was asked about. */
  static final class CountingTeacher implements Teacher {
    final List<String> asked = new CopyOnWriteArrayList<>();

    @Override
    public TeacherIdentity identity() {
      return new TeacherIdentity("counting", "m", BOOK.promptVersion());
    }

    @Override
    public boolean paid() {
      return true;
    }

    @Override
    public List<Outcome> label(List<TextEvent> events) {
      var out = new ArrayList<Outcome>();
      for (var event : events) {
        asked.add(event.getText());
        out.add(
            new Labeled(
                new TeacherLabel(
                    event.getText().contains("good") ? "yes" : "no", 0.9, null, 0.01, 10, 1)));
      }
      return out;
    }
  }

  @Test
  void shouldAskTheTeacherOncePerDistinctTextAcrossDuplicatesAndARestart() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var props =
        Map.of(
            "distillery.kafka.bootstrap-servers",
            cluster.bootstrapServers(),
            "distillery.registry.url",
            cluster.registryUrl(),
            "distillery.labeler.group-id",
            topics.prefix() + "-labeler",
            "distillery.teacher.max-in-flight",
            "2");
    var builder =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(props, "test", 500))
            .withMapping(DistilleryConfig.class)
            .withMapping(LabelerConfig.class)
            .withMapping(TeacherConfig.class);
    var config = builder.build();
    var common = config.getConfigMapping(DistilleryConfig.class);
    var labelerConfig = config.getConfigMapping(LabelerConfig.class);
    var teacherConfig = config.getConfigMapping(TeacherConfig.class);

    var teacher = new CountingTeacher();
    try (var labeler = new Labeler(common, labelerConfig, teacherConfig, topics, BOOK, teacher)) {
      labeler.start();
      LabelerFixtures.sendTexts(
          cluster.bootstrapServers(), topics, "a", "good film", "b", "bad film", "c", "good film");
      var labeled =
          Records.readUntil(
              cluster.bootstrapServers(),
              topics.labeled(),
              Duration.ofSeconds(60),
              r -> r.size() >= 3);
      assertThat(labeled).hasSize(3);
    }
    assertThat(teacher.asked).containsExactlyInAnyOrder("good film", "bad film");

    var afterRestart = new CountingTeacher();
    try (var labeler =
        new Labeler(common, labelerConfig, teacherConfig, topics, BOOK, afterRestart)) {
      labeler.start();
      LabelerFixtures.sendTexts(
          cluster.bootstrapServers(), topics, "d", "bad film", "e", "good film", "f", "new film");
      var labeled =
          Records.readUntil(
              cluster.bootstrapServers(),
              topics.labeled(),
              Duration.ofSeconds(60),
              r -> r.size() >= 6);
      assertThat(labeled).hasSize(6);
      assertThat(
              labeled.stream()
                  .filter(r -> r.key().equals("d"))
                  .findFirst()
                  .orElseThrow()
                  .value()
                  .getCostUsd())
          .as("a cached answer costs nothing")
          .isZero();
      assertThat(labeler.cache().orElseThrow().hits()).isEqualTo(2);
    }
    assertThat(afterRestart.asked).containsExactly("new film");
  }
}
