package io.distillery.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillery.students.Pooling;
import io.distillery.students.SoftTargets;
import io.distillery.students.minilm.MiniLmHeadSettings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
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
  void shouldReadTheEnumeratedSettingsInEitherSpelling() {
    var t =
        config(
            Map.of(
                "distillery.trainer.transformer.pooling", "CLS",
                "distillery.trainer.transformer.distillation", "soft",
                "distillery.trainer.minilm.head", "logistic"));
    assertThat(t.transformer().pooling()).isEqualTo(Pooling.CLS);
    assertThat(t.transformer().distillation()).isEqualTo(SoftTargets.Distillation.SOFT);
    assertThat(t.minilm().head()).isEqualTo(MiniLmHeadSettings.Head.LOGISTIC);
    assertThat(config(Map.of()).transformer().pooling()).isEqualTo(Pooling.MEAN);
  }

  @Test
  void shouldRefuseAnUnknownKindHeadPoolingOrDistillation() {
    assertThatThrownBy(
            () -> StudentKindsConfig.kind(config(Map.of("distillery.trainer.student", "gpt"))))
        .hasMessageContaining("unknown kind 'gpt'")
        .hasMessageContaining("hashed-linear, minilm-head, transformer-finetune");
    assertThatRefused(
            "transformer-finetune", "distillery.trainer.transformer.distillation", "medium")
        .as("refused when the configuration is read, naming the setting and what it takes")
        .hasMessageContaining("distillery.trainer.transformer.distillation")
        .hasMessageContaining("\"medium\"")
        .hasMessageContaining("allowed values")
        .hasMessageContaining("hard")
        .hasMessageContaining("soft");
    assertThatRefused("minilm-head", "distillery.trainer.minilm.head", "forest")
        .hasMessageContaining("distillery.trainer.minilm.head")
        .hasMessageContaining("\"forest\"")
        .hasMessageContaining("allowed values")
        .hasMessageContaining("logistic")
        .hasMessageContaining("mlp");
    assertThatRefused("transformer-finetune", "distillery.trainer.transformer.pooling", "max")
        .hasMessageContaining("distillery.trainer.transformer.pooling")
        .hasMessageContaining("allowed values")
        .hasMessageContaining("cls")
        .hasMessageContaining("mean");
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertThatRefused(
      String kind, String key, String value) {
    return assertThatThrownBy(
        () ->
            StudentKindsConfig.kind(
                config(Map.of("distillery.trainer.student", kind, key, value))));
  }
}
