package io.distillery.labeler;

import static io.distillery.labeler.LabelerFixtures.BOOK;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.schema.TextEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTeacherTest {

  private final ReplayTeacher teacher = new ReplayTeacher(BOOK, "llm_label");

  @Test
  void shouldReplayTheRecordedLabelAndStampThePromptVersion() {
    var outcomes = teacher.label(List.of(event(Map.of("llm_label", "yes"))));

    assertThat(outcomes).containsExactly(new Teacher.Labeled(Teacher.TeacherLabel.free("yes")));
    assertThat(teacher.identity().getKind()).isEqualTo("replay");
    assertThat(teacher.identity().getModel()).isEqualTo("metadata:llm_label");
    assertThat(teacher.identity().getPromptVersion()).isEqualTo(BOOK.promptVersion());
  }

  @Test
  void shouldNeverInventALabel() {
    var outcomes =
        teacher.label(
            List.of(
                event(Map.of()),
                event(Map.of("llm_label", " ")),
                event(Map.of("llm_label", "maybe")),
                event(Map.of("llm_label", "no"))));

    assertThat(outcomes.get(0)).isInstanceOf(Teacher.Failed.class);
    assertThat(((Teacher.Failed) outcomes.get(0)).reason()).contains("llm_label");
    assertThat(outcomes.get(1)).isInstanceOf(Teacher.Failed.class);
    assertThat(((Teacher.Failed) outcomes.get(2)).reason())
        .contains("'maybe' is not one of [yes, no]");
    assertThat(outcomes.get(3)).isEqualTo(new Teacher.Labeled(Teacher.TeacherLabel.free("no")));
  }

  @Test
  void shouldCarryTheConfidenceRecordedBesideTheLabelWhenItIsAProbability() {
    var outcomes =
        teacher.label(
            List.of(
                event(Map.of("llm_label", "yes", "llm_confidence", "0.75")),
                event(Map.of("llm_label", "yes", "llm_confidence", "1.0")),
                event(Map.of("llm_label", "yes", "llm_confidence", "0")),
                event(Map.of("llm_label", "yes", "llm_confidence", "1.5")),
                event(Map.of("llm_label", "yes", "llm_confidence", "high"))));

    assertThat(outcomes)
        .extracting(o -> ((Teacher.Labeled) o).label().confidence())
        .containsExactly(0.75, 1.0, null, null, null);
    assertThat(ReplayTeacher.confidenceField("llm_label")).isEqualTo("llm_confidence");
    assertThat(ReplayTeacher.confidenceField("gpt4")).isEqualTo("gpt4_confidence");
  }

  @Test
  void shouldReplayLabelsFromAFileKeyedByIdAndFallBackToMetadata(@TempDir Path dir)
      throws Exception {
    var file = Files.writeString(dir.resolve("labels.jsonl"), "{\"id\":\"1\",\"label\":\"no\"}\n");
    var fromFile = ReplayTeacher.fromFile(BOOK, file, "llm_label");

    var outcomes =
        fromFile.label(
            List.of(
                event("1", Map.of("llm_label", "yes")),
                event("2", Map.of("llm_label", "yes")),
                event("3", Map.of())));

    assertThat(outcomes.get(0)).isEqualTo(new Teacher.Labeled(Teacher.TeacherLabel.free("no")));
    assertThat(outcomes.get(1)).isEqualTo(new Teacher.Labeled(Teacher.TeacherLabel.free("yes")));
    assertThat(outcomes.get(2)).isInstanceOf(Teacher.Failed.class);
    assertThat(fromFile.identity().getModel()).isEqualTo("file:labels.jsonl+metadata:llm_label");
  }

  private static TextEvent event(String id, Map<String, String> metadata) {
    return TextEvent.newBuilder()
        .setId(id)
        .setText("x")
        .setIngestedAt(Instant.EPOCH)
        .setMetadata(metadata)
        .build();
  }

  private static TextEvent event(Map<String, String> metadata) {
    return TextEvent.newBuilder()
        .setId("1")
        .setText("x")
        .setIngestedAt(Instant.EPOCH)
        .setMetadata(metadata)
        .build();
  }
}
