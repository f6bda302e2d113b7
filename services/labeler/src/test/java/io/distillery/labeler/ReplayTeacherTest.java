package io.distillery.labeler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    var label = teacher.label(event(Map.of("llm_label", "yes")));

    assertThat(label.label()).isEqualTo("yes");
    assertThat(label.costUsd()).isZero();
    assertThat(teacher.identity().getKind()).isEqualTo("replay");
    assertThat(teacher.identity().getModel()).isEqualTo("metadata:llm_label");
    assertThat(teacher.identity().getPromptVersion()).isEqualTo(BOOK.promptVersion());
  }

  @Test
  void shouldNeverInventALabel() {
    assertThatThrownBy(() -> teacher.label(event(Map.of())))
        .isInstanceOf(Teacher.TeacherException.class)
        .hasMessageContaining("llm_label");
    assertThatThrownBy(() -> teacher.label(event(Map.of("llm_label", " "))))
        .isInstanceOf(Teacher.TeacherException.class);
    assertThatThrownBy(() -> teacher.label(event(Map.of("llm_label", "maybe"))))
        .isInstanceOf(Teacher.TeacherException.class)
        .hasMessageContaining("'maybe' is not one of [yes, no]");
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
