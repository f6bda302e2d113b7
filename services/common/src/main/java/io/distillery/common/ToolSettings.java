package io.distillery.common;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The settings the command-line tools ({@code ./distillery ingest}, {@code relabel}, {@code
 * estimate}, {@code export}, {@code experiment}) read, through the same {@code @ConfigMapping}
 * types the application uses and from the same sources, strongest first: what the command line
 * itself sets, system properties, the environment ({@code DISTILLERY_KAFKA_BOOTSTRAP_SERVERS},
 * {@code DISTILLERY_TOPIC_PREFIX}…), then the conventional {@code KAFKA_BOOTSTRAP_SERVERS}, {@code
 * SCHEMA_REGISTRY_URL}, {@code SCHEMA_REGISTRY_API}, {@code OPENAI_API_KEY} and {@code
 * OPENAI_BASE_URL} as the application maps them, then the application's own {@code
 * application.properties} when the app jar is on the class path (as the launcher puts it: prices,
 * {@code OPENAI_*} variables), then each setting's default. A tool and the app it talks to cannot
 * disagree on a default.
 */
public final class ToolSettings {

  private static final Map<String, String> CONVENTIONS =
      Map.of(
          "distillery.kafka.bootstrap-servers", "${KAFKA_BOOTSTRAP_SERVERS:127.0.0.1:9092}",
          "distillery.registry.url", "${SCHEMA_REGISTRY_URL:http://127.0.0.1:8081}",
          "distillery.registry.api", "${SCHEMA_REGISTRY_API:" + RegistrySerdes.APICURIO + "}",
          "distillery.teacher.api-key", "${OPENAI_API_KEY:}",
          "distillery.teacher.base-url", "${OPENAI_BASE_URL:https://api.openai.com/v1}");

  private ToolSettings() {}

  /** The settings, with {@link DistilleryConfig} and the {@code mappings} a tool needs besides. */
  public static SmallRyeConfig load(Class<?>... mappings) {
    return load(Map.of(), mappings);
  }

  /**
   * The settings, with {@code overrides} (property names to values: what the command line sets)
   * above every other source.
   *
   * @throws IllegalArgumentException when a setting is malformed
   */
  public static SmallRyeConfig load(Map<String, String> overrides, Class<?>... mappings) {
    var builder =
        new SmallRyeConfigBuilder()
            .addDefaultSources()
            .addDefaultInterceptors()
            // Every other distillery.* setting (a role's, a test's) is someone else's, not an
            // error.
            .withValidateUnknown(false)
            .withMapping(DistilleryConfig.class)
            .withSources(new PropertiesConfigSource(CONVENTIONS, "conventions", 100))
            .withSources(new PropertiesConfigSource(overrides, "command line", 500));
    var appSettings = ToolSettings.class.getClassLoader().getResource("application.properties");
    if (appSettings != null) {
      try {
        // Beneath the environment (300) and system properties (400), as in the app.
        builder.withSources(new PropertiesConfigSource(appSettings, 250));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (var mapping : mappings) {
      builder.withMapping(mapping);
    }
    return builder.build();
  }

  /** The application's own settings, as a tool reads them. */
  public static DistilleryConfig distillery() {
    return load().getConfigMapping(DistilleryConfig.class);
  }

  /** The value serdes of the registry {@code config} names. */
  public static Topics.ValueSerdes serdes(DistilleryConfig config) {
    return RegistrySerdes.of(config.registry().api(), config.registry().url());
  }
}
