package io.distillery.labeler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillery.common.Codebook;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostEstimateTest {

  private static final Codebook BOOK =
      new Codebook(
          "t",
          "",
          List.of(new Codebook.Label("a", "x".repeat(96)), new Codebook.Label("b", "y".repeat(96))),
          "",
          List.of());

  @Test
  void shouldPriceTokensFromTheCodebookAndTheTexts() {
    // Instructions: 400 + (1 + 96 + 4) * 2 = 602 chars = 150.5 tokens per call.
    // Each 40-char text: 10 + 10 = 20 tokens. 100 texts, batch 1: 100 calls.
    var texts = Collections.nCopies(100, "z".repeat(40));
    var settings = new CostEstimate.Settings(1.0, 2.0, 3, 1, 10, 2.0);

    var e = CostEstimate.estimate(BOOK, texts, settings);

    assertThat(e.promptTokens()).isCloseTo(100 * 150.5 + 100 * 20, within(1e-9));
    assertThat(e.completionTokens()).isCloseTo(100 * 12 * 3, within(1e-9));
    assertThat(e.costUsd()).isCloseTo((17_050 * 1.0 + 3_600 * 2.0) / 1e6, within(1e-12));
    assertThat(e.hours()).isCloseTo(100 * 2.0 / 10 / 3600, within(1e-12));
  }

  @Test
  void shouldPayTheInstructionsOncePerBatchedCall() {
    var texts = Collections.nCopies(100, "z".repeat(40));
    var single = CostEstimate.estimate(BOOK, texts, new CostEstimate.Settings(1, 1, 1, 1, 1, 1));
    var batched = CostEstimate.estimate(BOOK, texts, new CostEstimate.Settings(1, 1, 1, 10, 1, 1));

    assertThat(single.promptTokens() - batched.promptTokens()).isCloseTo(90 * 150.5, within(1e-9));
    assertThat(batched.hours()).isCloseTo(single.hours() / 10, within(1e-12));
  }

  @Test
  void shouldPrintThePapersComparisonUpToTweetScale() {
    var out = new ByteArrayOutputStream();
    var settings = new CostEstimate.Settings(1.0, 2.0, 1, 1, 10, 1.0);
    var e = CostEstimate.estimate(BOOK, Collections.nCopies(10, "z".repeat(40)), settings);

    CostEstimate.print(e, settings, 0.1, new PrintStream(out, true, StandardCharsets.UTF_8));

    var text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("| 6,200,000 |").contains("teacher for 10 % + student");
    assertThat(e.scaledTo(1_000_000).costUsd()).isCloseTo(e.costUsd() * 100_000, within(1e-9));
  }
}
