package io.distillery.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.Codebook;
import io.distillery.labeler.ReplayTeacher;
import io.distillery.students.LabelledDataset.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeacherRunTest {

  private static final Codebook BOOK =
      new Codebook(
          "stance",
          "Does the sentence agree that climate change is a serious concern?",
          List.of(
              new Codebook.Label("agrees", "It agrees."),
              new Codebook.Label("not_agrees", "It does not.")),
          "",
          List.of());

  @Test
  void shouldKeepTheConfidenceARecordedTeacherStatedBesideItsLabel() {
    var rows =
        List.of(
            new Row("1", "Global warming is a hoax.", "not_agrees", "not_agrees", "train", 0.9),
            new Row("2", "Seas are rising.", "agrees", "agrees", "train", null),
            new Row("3", "It is cold today.", "agrees", null, "train", 0.5));

    var labels =
        TeacherRun.label(
            new ReplayTeacher(BOOK, "llm_label"),
            rows,
            "test",
            2,
            1,
            new Progress(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

    assertThat(labels.byId()).isEqualTo(Map.of("1", "not_agrees", "2", "agrees"));
    assertThat(labels.confidenceById()).isEqualTo(Map.of("1", 0.9));
    assertThat(labels.failed()).isEqualTo(1);
  }
}
