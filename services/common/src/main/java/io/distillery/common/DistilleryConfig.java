package io.distillery.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * Settings every role shares. Each member has an environment-variable form, e.g. {@code
 * DISTILLERY_TOPIC_PREFIX}; the application also maps the conventional {@code
 * KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL}.
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
     * Base URL of the registry (Apicurio Registry 2.x). The serdes use its {@code
     * /apis/registry/v2} API; other clients read the same schemas through its Confluent API, {@code
     * /apis/ccompat/v7}.
     */
    @WithDefault("http://127.0.0.1:8081")
    String url();
  }
}
