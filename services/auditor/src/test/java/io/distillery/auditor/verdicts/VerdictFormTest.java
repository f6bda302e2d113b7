package io.distillery.auditor.verdicts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.Codebook;
import io.distillery.schema.ReviewVerdict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

public class VerdictFormTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private static final VerdictForm FORM =
      new VerdictForm(
          new Codebook(
              "sentiment",
              "",
              List.of(
                  new Codebook.Label("negative", "A negative opinion."),
                  new Codebook.Label("positive", "A positive opinion.")),
              "",
              List.of()));

  private static ReviewVerdict read(String json) throws Exception {
    return FORM.read(JSON.readTree(json), "ann", NOW);
  }

  @Test
  void shouldTakeALabelFromTheCodebookWithTheReviewerWhoLoggedIn() throws Exception {
    var verdict = read("{\"id\": \"t1\", \"label\": \"positive\", \"note\": \"clear\"}");

    assertThat(verdict)
        .isEqualTo(
            ReviewVerdict.newBuilder()
                .setId("t1")
                .setTask("sentiment")
                .setLabel("positive")
                .setSkipped(false)
                .setReviewer("ann")
                .setNote("clear")
                .setDecidedAt(NOW)
                .build());
  }

  @Test
  void shouldTakeASkipWithoutALabel() throws Exception {
    var verdict = read("{\"id\": \"t1\", \"skipped\": true, \"task\": \"sentiment\"}");

    assertThat(verdict.getSkipped()).isTrue();
    assertThat(verdict.getLabel()).isNull();
    assertThat(verdict.getNote()).isNull();
  }

  @Test
  void shouldRefuseWhatIsNotAVerdictOfThisCodebookAndSayWhy() {
    var cases =
        List.of(
            List.of("[]", "expected a JSON object"),
            List.of(
                "{\"id\": \"t1\", \"label\": \"ecstatic\"}",
                "label 'ecstatic' is not one of the codebook's labels [negative, positive]"),
            List.of(
                "{\"id\": \"t1\"}",
                "missing 'label' (one of [negative, positive]) or 'skipped': true"),
            List.of("{\"label\": \"positive\"}", "missing or empty 'id'"),
            List.of("{\"id\": \" \", \"label\": \"positive\"}", "missing or empty 'id'"),
            List.of("{\"id\": 7, \"label\": \"positive\"}", "'id' must be a string"),
            List.of(
                "{\"id\": \"t1\", \"skipped\": true, \"label\": \"positive\"}",
                "a skip carries no label"),
            List.of("{\"id\": \"t1\", \"skipped\": \"yes\"}", "'skipped' must be true or false"),
            List.of(
                "{\"id\": \"t1\", \"label\": \"positive\", \"task\": \"toxicity\"}",
                "task 'toxicity' is not the codebook's task 'sentiment'"),
            List.of(
                "{\"id\": \"t1\", \"lable\": \"positive\"}", "unknown field(s) [lable]; known: "),
            List.of(
                "{\"id\": \"t1\", \"label\": \"positive\", \"reviewer\": \"bob\"}",
                "unknown field(s) [reviewer]; known: "),
            List.of(
                "{\"id\": \"t1\", \"label\": \"positive\", \"note\": \""
                    + "x".repeat(2_001)
                    + "\"}",
                "'note' has 2001 characters; at most 2000"));
    for (var c : cases) {
      assertThatThrownBy(() -> read(c.get(0)))
          .as(c.get(0))
          .isInstanceOf(VerdictForm.BadVerdictException.class)
          .hasMessageStartingWith(c.get(1));
    }
  }
}
