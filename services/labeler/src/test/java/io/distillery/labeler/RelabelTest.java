package io.distillery.labeler;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.Codebook;
import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import io.distillery.schema.LabeledText;
import io.distillery.schema.TeacherIdentity;
import io.distillery.schema.TextEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** A new codebook relabels a chosen slice; both versions' labels stay on the topic. */
class RelabelTest {

  private static final Codebook NEW =
      new Codebook(
          "t",
          "sharper definitions",
          List.of(
              new Codebook.Label("yes", "clearly praise"),
              new Codebook.Label("no", "anything else")),
          "",
          List.of());

  @Test
  void shouldRelabelTheChosenPromptVersionAndKeepTheOldLabels() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var since = Instant.now().minusSeconds(5);
    Records.send(
        cluster.bootstrapServers(),
        topics.labeled(),
        List.of(
            labeled(topics.labeled().name(), "a", "good", "v-old"),
            labeled(topics.labeled().name(), "b", "meh", "v-old"),
            labeled(topics.labeled().name(), "c", "fine", "v-other"),
            labeled(topics.labeled().name(), "d", "great", NEW.promptVersion())));
    Teacher teacher =
        new Teacher() {
          @Override
          public TeacherIdentity identity() {
            return new TeacherIdentity("stub", "m", NEW.promptVersion());
          }

          @Override
          public List<Outcome> label(List<TextEvent> events) {
            return events.stream()
                .map(
                    e ->
                        (Outcome)
                            new Labeled(
                                TeacherLabel.free(e.getText().equals("good") ? "yes" : "no")))
                .toList();
          }
        };

    var slice = new Relabel.Slice(since, Optional.of("v-old"));
    var texts = Relabel.select(cluster.bootstrapServers(), topics, slice, NEW.promptVersion());
    int written = Relabel.relabel(cluster.bootstrapServers(), topics, teacher, NEW, texts);

    assertThat(texts).extracting(TextEvent::getId).containsExactly("a", "b");
    assertThat(written).isEqualTo(2);
    var all =
        Records.readUntil(
            cluster.bootstrapServers(),
            topics.labeled(),
            Duration.ofSeconds(30),
            r -> r.size() >= 6);
    assertThat(all).hasSize(6);
    assertThat(all)
        .filteredOn(r -> r.key().equals("a"))
        .extracting(r -> r.value().getTeacher().getPromptVersion())
        .containsExactly("v-old", NEW.promptVersion());
    assertThat(
            Relabel.select(
                cluster.bootstrapServers(),
                topics,
                new Relabel.Slice(since, Optional.empty()),
                NEW.promptVersion()))
        .as("texts already labeled under the new version are not relabeled again")
        .extracting(TextEvent::getId)
        .containsExactly("c");
  }

  private static ProducerRecord<String, LabeledText> labeled(
      String topic, String id, String text, String promptVersion) {
    return new ProducerRecord<>(
        topic,
        id,
        LabeledText.newBuilder()
            .setId(id)
            .setText(text)
            .setTask("t")
            .setLabel("yes")
            .setTeacher(new TeacherIdentity("replay", "metadata:llm_label", promptVersion))
            .setLabeledAt(Instant.now())
            .build());
  }
}
