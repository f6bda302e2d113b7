package io.distillery.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StudentKindsConfigTest {

  private static TrainerConfig config(Map<String, String> settings) {
    return new SmallRyeConfigBuilder()
        .withSources(new PropertiesConfigSource(settings, "test", 500))
        .withMapping(TrainerConfig.class)
        .build()
        .getConfigMapping(TrainerConfig.class);
  }

  @Test
  void shouldBuildTheKindTheConfigNames() {
    assertThat(StudentKindsConfig.kind(config(Map.of())).name()).isEqualTo("hashed-linear");
    assertThat(
            StudentKindsConfig.kind(config(Map.of("distillery.trainer.student", "minilm-head")))
                .name())
        .isEqualTo("minilm-head");
    assertThat(
            StudentKindsConfig.kind(
                    config(
                        Map.of(
                            "distillery.trainer.student", "transformer-finetune",
                            "distillery.trainer.transformer.encoder-dir", "/models/bert")))
                .name())
        .isEqualTo("transformer-finetune");
    // Without an encoder directory it fine-tunes the encoder that ships with Distillery.
    assertThat(
            StudentKindsConfig.kind(
                    config(Map.of("distillery.trainer.student", "transformer-finetune")))
                .name())
        .isEqualTo("transformer-finetune");
  }

  @Test
  void shouldRefuseAnUnknownKindHeadOrDistillation() {
    assertThatThrownBy(
            () -> StudentKindsConfig.kind(config(Map.of("distillery.trainer.student", "gpt"))))
        .hasMessageContaining("unknown kind 'gpt'")
        .hasMessageContaining("hashed-linear, minilm-head, transformer-finetune");
    assertThatThrownBy(
            () ->
                StudentKindsConfig.kind(
                    config(
                        Map.of(
                            "distillery.trainer.student", "transformer-finetune",
                            "distillery.trainer.transformer.distillation", "medium"))))
        .hasMessageContaining("distillation must be hard or soft, got 'medium'");
    assertThatThrownBy(
            () ->
                StudentKindsConfig.kind(
                    config(
                        Map.of(
                            "distillery.trainer.student", "minilm-head",
                            "distillery.trainer.minilm.head", "forest"))))
        .hasMessageContaining("unknown head 'forest'");
  }
}
