package io.distillery.common;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jboss.logging.Logger;

/**
 * Kafka Streams' deserialization handler for Distillery: a record that cannot be read goes to the
 * dead-letter topic with the usual headers, and the stream continues. Kafka Streams 4.1 has no
 * dead-letter support of its own (KIP-1034 came later), so the handler owns a small idempotent
 * producer. It writes outside the stream's transaction: after a crash a dead letter may appear
 * twice, never zero times.
 *
 * <p>Configured with {@link #TOPIC} and {@link #ROLE} in the Streams properties.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

  /** Streams property: the dead-letter topic. */
  public static final String TOPIC = "distillery.dlq.topic";

  /** Streams property: the role name for the header. */
  public static final String ROLE = "distillery.dlq.role";

  private static final Logger LOG = Logger.getLogger(DeadLetterDeserializationHandler.class);

  private DeadLetterSender sender;

  @Override
  public void configure(Map<String, ?> configs) {
    sender = new DeadLetterSender(configs);
  }

  @Override
  public DeserializationHandlerResponse handle(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (TransientErrors.isTransient(exception)) {
      // The registry is unreachable, not the record bad: fail the task; it is redone later.
      LOG.warnf(
          "%s: cannot read %s-%d@%d now (%s); the task will retry",
          sender.role(),
          record.topic(),
          Integer.valueOf(record.partition()),
          Long.valueOf(record.offset()),
          exception.getMessage());
      return DeserializationHandlerResponse.FAIL;
    }
    var reason = DeadLetters.reason("cannot deserialize", exception);
    return sender.send(
            record.topic(),
            record.partition(),
            record.offset(),
            record.key(),
            record.value(),
            reason)
        ? DeserializationHandlerResponse.CONTINUE
        : DeserializationHandlerResponse.FAIL;
  }
}
