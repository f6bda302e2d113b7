package io.distillery.labeler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeacherKindTest {

  @Test
  void shouldNameEveryTeacherAsItIsConfiguredAndStampedOnLabels() {
    assertThat(TeacherKind.ids()).containsExactly("replay", "zero-shot", "openai");
    assertThat(TeacherKind.of("zero-shot")).isEqualTo(TeacherKind.ZERO_SHOT);
    assertThatThrownBy(() -> TeacherKind.of("gpt"))
        .hasMessage("unknown teacher 'gpt' (known: [replay, zero-shot, openai])");
  }

  @Test
  void shouldReadTheConfiguredKindInEitherSpellingAndRefuseAnUnknownOneWhenTheConfigIsRead() {
    assertThat(teacher("zero-shot").kind()).isEqualTo(TeacherKind.ZERO_SHOT);
    assertThat(teacher("OPENAI").kind()).isEqualTo(TeacherKind.OPENAI);
    assertThat(teacher(null).kind()).as("the default").isEqualTo(TeacherKind.REPLAY);
    assertThatThrownBy(() -> teacher("gpt")).hasMessageContaining("gpt");
  }

  private static TeacherConfig teacher(String kind) {
    var props = kind == null ? Map.<String, String>of() : Map.of("distillery.teacher.kind", kind);
    return new SmallRyeConfigBuilder()
        .withSources(new PropertiesConfigSource(props, "test", 500))
        .withMapping(TeacherConfig.class)
        .build()
        .getConfigMapping(TeacherConfig.class);
  }
}
