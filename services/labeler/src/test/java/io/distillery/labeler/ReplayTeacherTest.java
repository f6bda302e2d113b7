package io.distillery.labeler;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.Codebook;
import io.distillery.schema.TextEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayTeacherTest {

  private static final Codebook BOOK =
      new Codebook(
          "t",
          "",
          List.of(new Codebook.Label("yes", "it is"), new Codebook.Label("no", "it is not")),
          "",
          List.of());
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

  private static TextEvent event(Map<String, String> metadata) {
    return TextEvent.newBuilder()
        .setId("1")
        .setText("x")
        .setIngestedAt(Instant.EPOCH)
        .setMetadata(metadata)
        .build();
  }
}
