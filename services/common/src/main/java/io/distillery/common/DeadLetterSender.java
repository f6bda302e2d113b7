package io.distillery.common;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.StreamsConfig;
import org.jboss.logging.Logger;

/**
 * What the Streams exception handlers share: the dead-letter topic and role from the Streams
 * properties, and a small idempotent producer. Kafka Streams 4.1 has no dead-letter support of its
 * own (KIP-1034 came later), so the handlers write outside the stream's transaction: after a crash
 * a dead letter may appear twice, never zero times.
 */
final class DeadLetterSender {

  private static final Logger LOG = Logger.getLogger(DeadLetterSender.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final String role;

  /** From the Streams properties a handler is configured with. */
  DeadLetterSender(Map<String, ?> configs) {
    topic = String.valueOf(configs.get(DeadLetterDeserializationHandler.TOPIC));
    role = String.valueOf(configs.get(DeadLetterDeserializationHandler.ROLE));
    producer =
        new KafkaProducer<>(
            KafkaClients.producer(
                String.valueOf(configs.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG))));
  }

  /** The role on the dead letters. */
  String role() {
    return role;
  }

  /**
   * Writes one dead letter and waits for it.
   *
   * @return whether it was written; when not, the caller must stop rather than drop the record
   */
  boolean send(
      String sourceTopic, int partition, long offset, byte[] key, byte[] value, String reason) {
    LOG.warnf(
        "%s: %s-%d@%d to the dead-letter topic: %s",
        role, sourceTopic, Integer.valueOf(partition), Long.valueOf(offset), reason);
    try {
      producer
          .send(DeadLetters.of(topic, role, sourceTopic, partition, offset, key, value, reason))
          .get();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.errorf(e, "%s: interrupted writing a dead letter; stopping", role);
      return false;
    } catch (Exception e) {
      LOG.errorf(e, "%s: cannot write a dead letter; stopping", role);
      return false;
    }
  }
}
