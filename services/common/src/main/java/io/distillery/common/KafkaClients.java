package io.distillery.common;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/** Client properties shared by the roles, so every role gets the same delivery guarantees. */
public final class KafkaClients {

  private KafkaClients() {}

  /**
   * A read-committed consumer of raw bytes that commits its offsets through a producer transaction.
   */
  public static Properties transactionalConsumer(String bootstrapServers, String groupId) {
    var props = committedBytesReader(bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    return props;
  }

  /**
   * A read-committed consumer without a group, for roles that rebuild their state from the start of
   * a topic.
   */
  public static Properties stateReader(String bootstrapServers, String clientId) {
    var props = committedBytesReader(bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    return props;
  }

  /** Raw bytes, committed records only, from the earliest offset, no auto-commit. */
  private static Properties committedBytesReader(String bootstrapServers) {
    var props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  /** An idempotent, transactional producer of raw bytes. */
  public static Properties transactionalProducer(String bootstrapServers, String transactionalId) {
    var props = producer(bootstrapServers);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return props;
  }

  /** An idempotent producer of raw bytes that waits for all replicas. */
  public static Properties producer(String bootstrapServers) {
    var props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }

  /** Kafka Streams with exactly-once v2 and state under {@code stateDir}. */
  public static Properties streams(String bootstrapServers, String applicationId, String stateDir) {
    return streams(bootstrapServers, applicationId, stateDir, (short) 1);
  }

  /**
   * Kafka Streams with exactly-once v2, state under {@code stateDir}, internal topics at {@code
   * replicationFactor}, and unreadable records, and records whose processing throws, dead-lettered
   * to {@code dlqTopic} by the role {@code role}.
   */
  public static Properties streams(
      String bootstrapServers,
      String applicationId,
      String stateDir,
      short replicationFactor,
      String dlqTopic,
      String role) {
    var props = streams(bootstrapServers, applicationId, stateDir, replicationFactor);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class.getName());
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingHandler.class.getName());
    props.put(DeadLetterDeserializationHandler.TOPIC, dlqTopic);
    props.put(DeadLetterDeserializationHandler.ROLE, role);
    return props;
  }

  private static Properties streams(
      String bootstrapServers, String applicationId, String stateDir, short replicationFactor) {
    var props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    return props;
  }
}
