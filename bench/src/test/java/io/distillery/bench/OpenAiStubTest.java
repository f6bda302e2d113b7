package io.distillery.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.Codebook;
import io.distillery.labeler.Teacher;
import io.distillery.labeler.openai.OpenAiTeacher;
import io.distillery.schema.TextEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stub answers the real teacher validly, so the benchmark measures calls, not repairs. */
class OpenAiStubTest {

  private static final Codebook BOOK =
      new Codebook(
          "sentiment",
          "The author's sentiment.",
          List.of(
              new Codebook.Label("positive", "the author likes it"),
              new Codebook.Label("negative", "the author dislikes it"),
              new Codebook.Label("neutral", "neither")),
          "",
          List.of());

  private static final List<String> TEXTS =
      List.of("Best purchase this year", "Broke after a day", "It is a phone", "Meh");

  @Test
  void shouldAnswerOneTextWithItsDeterministicLabel() throws Exception {
    try (var stub = new OpenAiStub(BOOK.labelNames(), Duration.ZERO).start();
        var teacher = new OpenAiTeacher(BOOK, TeacherBench.config(stub.baseUrl(), 1, 1))) {
      var outcomes = teacher.label(events(TEXTS.subList(0, 1)));

      assertThat(labels(outcomes)).containsExactly(stub.labelOf(TEXTS.get(0)));
      assertThat(teacher.stats().calls()).isEqualTo(1);
      assertThat(teacher.stats().correctiveRetries()).isZero();
      assertThat(teacher.stats().completionTokens())
          .isEqualTo(OpenAiStub.COMPLETION_TOKENS_PER_TEXT);
    }
  }

  @Test
  void shouldAnswerEveryIdOfABatchInOneCallWithoutASplit() throws Exception {
    try (var stub = new OpenAiStub(BOOK.labelNames(), Duration.ZERO).start();
        var teacher = new OpenAiTeacher(BOOK, TeacherBench.config(stub.baseUrl(), 1, 4))) {
      var outcomes = teacher.label(events(TEXTS));

      assertThat(labels(outcomes))
          .containsExactlyElementsOf(TEXTS.stream().map(stub::labelOf).toList());
      assertThat(teacher.stats().calls()).isEqualTo(1);
      assertThat(teacher.stats().splitBatches()).isZero();
      assertThat(teacher.stats().promptTokens()).isPositive();
      assertThat(teacher.stats().completionTokens())
          .isEqualTo(OpenAiStub.COMPLETION_TOKENS_PER_TEXT * TEXTS.size());
    }
  }

  private static List<TextEvent> events(List<String> texts) {
    return texts.stream()
        .map(
            text ->
                TextEvent.newBuilder()
                    .setId("t" + texts.indexOf(text))
                    .setText(text)
                    .setIngestedAt(Instant.EPOCH)
                    .build())
        .toList();
  }

  private static List<String> labels(List<Teacher.Outcome> outcomes) {
    return outcomes.stream().map(outcome -> ((Teacher.Labeled) outcome).label().label()).toList();
  }
}
