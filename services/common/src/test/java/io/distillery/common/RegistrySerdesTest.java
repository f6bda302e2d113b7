package io.distillery.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.WithDefault;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code distillery.registry.api} chooses the serdes; anything else than the two APIs stops. */
class RegistrySerdesTest {

  private static final String URL = "http://127.0.0.1:8081";

  @Test
  void shouldChooseTheSerdesByTheRegistryApi() {
    assertThat(RegistrySerdes.of("apicurio", URL)).isInstanceOf(AvroSerdes.class);
    assertThat(RegistrySerdes.of("confluent", URL)).isInstanceOf(ConfluentSerdes.class);
    assertThat(RegistrySerdes.of(" Confluent ", URL)).isInstanceOf(ConfluentSerdes.class);
  }

  @Test
  void shouldRefuseAnUnknownApiNamingTheTwoAllowed() {
    assertThatThrownBy(() -> RegistrySerdes.of("karapace", URL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("distillery.registry.api")
        .hasMessageContaining("'karapace'")
        .hasMessageContaining("apicurio")
        .hasMessageContaining("confluent");
  }

  @Test
  void shouldDefaultTheSettingToApicurio() throws Exception {
    var declared =
        DistilleryConfig.Registry.class.getMethod("api").getAnnotation(WithDefault.class);

    assertThat(declared.value()).isEqualTo(RegistrySerdes.APICURIO);
    assertThat(RegistrySerdes.of(declared.value(), URL)).isInstanceOf(AvroSerdes.class);
  }

  @Test
  void shouldReadTheApiFromTheEnvironmentWithTheApplicationsPrecedence() {
    assertThat(RegistrySerdes.apiFromEnvironment(Map.of())).isEqualTo("apicurio");
    assertThat(RegistrySerdes.apiFromEnvironment(Map.of("SCHEMA_REGISTRY_API", " ")))
        .isEqualTo("apicurio");
    assertThat(RegistrySerdes.apiFromEnvironment(Map.of("SCHEMA_REGISTRY_API", "confluent")))
        .isEqualTo("confluent");
    assertThat(
            RegistrySerdes.apiFromEnvironment(
                Map.of("SCHEMA_REGISTRY_API", "confluent", "DISTILLERY_REGISTRY_API", "apicurio")))
        .isEqualTo("apicurio");
    assertThat(RegistrySerdes.fromEnvironment(Map.of("DISTILLERY_REGISTRY_API", "confluent")))
        .isInstanceOf(ConfluentSerdes.class);
    assertThatThrownBy(() -> RegistrySerdes.fromEnvironment(Map.of("SCHEMA_REGISTRY_API", "v7")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'v7'");
  }

  @Test
  void shouldStripCredentialsFromUrlsForMessages() {
    assertThat(RegistrySerdes.withoutCredentials("https://user:pa%40ss@registry:8081/apis"))
        .isEqualTo("https://registry:8081/apis");
    assertThat(RegistrySerdes.withoutCredentials("http://user:p@ss/w0rd@registry:8081"))
        .isEqualTo("http://registry:8081");
    assertThat(RegistrySerdes.withoutCredentials(URL)).isEqualTo(URL);
  }
}
