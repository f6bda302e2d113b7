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
    // No price asked for (DISTILLERY_ESTIMATE_* are unset in tests): the teacher model's.
    assertThat(a.inputPrice).isNull();
    assertThat(a.outputPrice).isNull();
    var mini = TeacherSettings.load();
    assertThat(mini.model()).isEqualTo("gpt-4o-mini");
    assertThat(a.latencySeconds).isEqualTo(1.0);
    assertThat(a.sampleShare).isEqualTo(0.1);

    var b =
        CommandLines.parse(new CostEstimate.Arguments(), "t.csv", "cb.yaml", "--input-price", "2.5")
            .orElseThrow();
    assertThat(b.codebook).isEqualTo(Path.of("cb.yaml"));
    assertThat(b.inputPrice).isEqualTo(2.5);
    assertThat(b.outputPrice).isNull();
    assertThatThrownBy(
            () -> CommandLines.parse(new CostEstimate.Arguments(), "t.csv", "--input-price", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'--input-price'");
  }

  private static TeacherConfig teacher(java.util.Map<String, String> settings) {
    return new io.smallrye.config.SmallRyeConfigBuilder()
        .withSources(new io.smallrye.config.PropertiesConfigSource(settings, "test", 500))
        .withMapping(TeacherConfig.class)
        .build()
        .getConfigMapping(TeacherConfig.class);
  }

  @Test
  void shouldPriceTheTeacherModelFromItsTableUnlessPricesAreGiven() {
    var table =
        teacher(
            java.util.Map.of(
                "distillery.teacher.model", "gpt-4o",
                "distillery.teacher.prices.\"gpt-4o\".input", "2.5",
                "distillery.teacher.prices.\"gpt-4o\".output", "10"));
    var none = CommandLines.parse(new CostEstimate.Arguments(), "t.jsonl").orElseThrow();
    var given =
        CommandLines.parse(
                new CostEstimate.Arguments(),
                "t.jsonl",
                "--input-price",
                "0.4",
                "--output-price",
                "1.6")
            .orElseThrow();

    assertThat(none.prices(table)).containsExactly(2.5, 10.0);
    assertThat(given.prices(table)).containsExactly(0.4, 1.6);
    assertThat(given.prices(teacher(java.util.Map.of()))).containsExactly(0.4, 1.6);
    assertThatThrownBy(() -> none.prices(teacher(java.util.Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no price for the teacher model 'gpt-4o-mini'")
        .hasMessageContaining("--input-price");
  }
}
