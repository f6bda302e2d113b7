package io.distillery.common;

import java.util.Locale;
import java.util.Map;

/**
 * Chooses the value serdes by the API the schema registry serves ({@code distillery.registry.api}):
 * {@link #APICURIO} speaks Apicurio Registry 2.x's own API through {@link AvroSerdes}; {@link
 * #CONFLUENT} speaks the Confluent REST API through {@link ConfluentSerdes}, for Confluent Schema
 * Registry, Karapace or Apicurio's {@code /apis/ccompat/v7}. Both write the same wire format, so
 * either reads what the other wrote.
 */
public final class RegistrySerdes {

  /** The URL is an Apicurio 2.x base URL; the serdes use its {@code /apis/registry/v2}. */
  public static final String APICURIO = "apicurio";

  /** The URL is the base of a Confluent-compatible API. */
  public static final String CONFLUENT = "confluent";

  private static final String DEFAULT_URL = "http://127.0.0.1:8081";

  private RegistrySerdes() {}

  /**
   * The serdes for {@code api} ({@code apicurio} or {@code confluent}, any case) and the registry
   * at {@code url}.
   *
   * @throws IllegalArgumentException for any other API
   */
  public static Topics.ValueSerdes of(String api, String url) {
    var name = api == null ? "" : api.strip().toLowerCase(Locale.ROOT);
    return switch (name) {
      case APICURIO -> new AvroSerdes(url);
      case CONFLUENT -> new ConfluentSerdes(url);
      default ->
          throw new IllegalArgumentException(
              "distillery.registry.api: unknown registry API '"
                  + api
                  + "'; use "
                  + APICURIO
                  + " (Apicurio Registry 2.x) or "
                  + CONFLUENT
                  + " (any Confluent-compatible registry)");
    };
  }

  /**
   * Registers the schema of every topic in {@code schemas} (topic name to its value schema) under
   * {@code <topic>-value}, so that a producer in another language can fetch the contract before
   * anyone wrote a record. Through the Confluent API in both cases (Apicurio serves it at {@code
   * /apis/ccompat/v7}): the text registered is the one the serdes send, so their records carry the
   * id registered here.
   *
   * @return subject to schema id
   */
  public static Map<String, Integer> registerContracts(
      String api, String url, Map<String, org.apache.avro.Schema> schemas) {
    of(api, url); // refuses an unknown API with the usual message
    var confluentUrl =
        api.strip().toLowerCase(Locale.ROOT).equals(APICURIO)
            ? url.replaceAll("/+$", "") + "/apis/ccompat/v7"
            : url;
    var registry = new ConfluentSerdes(confluentUrl);
    var ids = new java.util.LinkedHashMap<String, Integer>();
    schemas.forEach(
        (topic, schema) -> {
          var subject = topic + "-value";
          ids.put(subject, registry.register(subject, schema));
        });
    return ids;
  }

  /**
   * The serdes the command-line tools use, from the environment: the URL from {@code
   * SCHEMA_REGISTRY_URL} (default {@value #DEFAULT_URL}), the API as {@link #apiFromEnvironment}
   * says.
   */
  public static Topics.ValueSerdes fromEnvironment(Map<String, String> env) {
    return of(apiFromEnvironment(env), value(env, "SCHEMA_REGISTRY_URL", DEFAULT_URL));
  }

  /**
   * The API named by {@code DISTILLERY_REGISTRY_API}, else {@code SCHEMA_REGISTRY_API}, else {@code
   * apicurio}: the same precedence the application gives them.
   */
  static String apiFromEnvironment(Map<String, String> env) {
    return value(env, "DISTILLERY_REGISTRY_API", value(env, "SCHEMA_REGISTRY_API", APICURIO));
  }

  /**
   * {@code url} without {@code user:password@}, for messages and logs. Cuts everything from {@code
   * ://} to the last at-sign, so a password with an unescaped at-sign or slash does not leak
   * either.
   */
  public static String withoutCredentials(String url) {
    return url.replaceFirst("://.*@", "://");
  }

  private static String value(Map<String, String> env, String name, String fallback) {
    var value = env.get(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
