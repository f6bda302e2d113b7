package io.distillery.labeler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillery.common.CommandLines;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The command lines of {@code ./distillery relabel} and {@code estimate}, read by picocli. */
class ToolArgumentsTest {

  @Test
  void shouldReadRelabelsInstantAndOptionalPromptVersion() {
    var a =
        CommandLines.parse(
                new Relabel.Arguments(),
                "--since",
                "2026-01-01T00:00:00Z",
                "--prompt-version",
                "v1")
            .orElseThrow();

    assertThat(a.since).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(a.promptVersion).contains("v1");
    assertThat(
            CommandLines.parse(new Relabel.Arguments(), "--since", "2026-01-01T00:00:00Z")
                .orElseThrow()
                .promptVersion)
        .isEmpty();
  }

  @Test
  void shouldRefuseRelabelWithoutSinceOrWithABadInstant() {
    assertThatThrownBy(() -> CommandLines.parse(new Relabel.Arguments()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Missing required option: '--since=INSTANT'");
    assertThatThrownBy(() -> CommandLines.parse(new Relabel.Arguments(), "--since", "yesterday"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'--since'")
        .hasMessageContaining("yesterday");
  }

  @Test
  void shouldReadEstimatesFileCodebookAndPricesWithTheirDefaults() {
    var a = CommandLines.parse(new CostEstimate.Arguments(), "texts.jsonl").orElseThrow();

    assertThat(a.file).isEqualTo(Path.of("texts.jsonl"));
    assertThat(a.codebook).isNull();
    // gpt-4o-mini's prices, unless DISTILLERY_ESTIMATE_* say otherwise (they are unset in tests).
    assertThat(a.inputPrice).isEqualTo(0.15);
    assertThat(a.outputPrice).isEqualTo(0.60);
    assertThat(a.latencySeconds).isEqualTo(1.0);
    assertThat(a.sampleShare).isEqualTo(0.1);

    var b =
        CommandLines.parse(new CostEstimate.Arguments(), "t.csv", "cb.yaml", "--input-price", "2.5")
            .orElseThrow();
    assertThat(b.codebook).isEqualTo(Path.of("cb.yaml"));
    assertThat(b.inputPrice).isEqualTo(2.5);
    assertThatThrownBy(
            () -> CommandLines.parse(new CostEstimate.Arguments(), "t.csv", "--input-price", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'--input-price'");
  }
}
