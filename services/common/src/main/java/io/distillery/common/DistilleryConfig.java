package io.distillery.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * Settings every role shares. Each member has an environment-variable form, e.g. {@code
 * DISTILLERY_TOPIC_PREFIX}; the application also maps the conventional {@code
 * KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL} and {@code SCHEMA_REGISTRY_API}.
 */
@ConfigMapping(prefix = "distillery")
public interface DistilleryConfig {

  /**
   * Which roles this process runs: {@code all}, or a list of {@code labeler, auditor, trainer,
   * classifier}.
   */
  @WithDefault("all")
  List<String> roles();

  /** Prefix of every topic name, so several pipelines can share one cluster. */
  @WithDefault("distillery")
  String topicPrefix();

  /** Directory for local state: Kafka Streams stores and the model store. Survives restarts. */
  @WithDefault(".distillery")
  String stateDir();

  /** The codebook (YAML) that defines the task: labels, definitions, instructions, examples. */
  @WithDefault("examples/codebook.yaml")
  String codebook();

  /** The Kafka cluster. */
  Kafka kafka();

  /** The schema registry. */
  Registry registry();

  /** Kafka connection and topic layout. */
  interface Kafka {
    /** Bootstrap servers of the cluster. */
    @WithDefault("127.0.0.1:9092")
    String bootstrapServers();

    /** Partitions of the topics Distillery creates (the models topic always has one). */
    @WithDefault("3")
    int partitions();

    /** Replication factor of the topics Distillery creates. */
    @WithDefault("1")
    short replicationFactor();
  }

  /** Where schemas are registered. */
  interface Registry {
    /**
     * Base URL of the registry, as {@link #api()} reads it. For {@code apicurio}, the Apicurio
     * Registry 2.x base URL: the serdes use its {@code /apis/registry/v2} API; other clients read
     * the same schemas through its Confluent API, {@code /apis/ccompat/v7}. For {@code confluent},
     * the base of the Confluent API, e.g. {@code http://host:8081} (Confluent Schema Registry,
     * Karapace) or {@code http://host:8080/apis/ccompat/v7} (Apicurio). {@code user:password@} in
     * the URL is sent as HTTP basic auth by the {@code confluent} serdes.
     */
    @WithDefault("http://127.0.0.1:8081")
    String url();

    /**
     * The API the serdes speak: {@code apicurio} (Apicurio Registry 2.x's own API) or {@code
     * confluent} (the Confluent Schema Registry REST API, served by Confluent, Karapace and
     * Apicurio). Both write the Confluent wire format; any other value stops the application.
     */
    @WithDefault(RegistrySerdes.APICURIO)
    String api();
  }
}
