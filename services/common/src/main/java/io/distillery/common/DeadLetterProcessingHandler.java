package io.distillery.common;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.jboss.logging.Logger;

/**
 * Kafka Streams' processing-exception handler for Distillery: a record whose processing throws (a
 * bug, or input no check foresaw) goes to the dead-letter topic as it was read from its source
 * topic, with the usual headers, and the stream continues. A transient error (the registry or the
 * cluster unreachable) fails the task instead, so the record is processed again later rather than
 * lost. Like {@link DeadLetterDeserializationHandler}, it owns a small idempotent producer and
 * writes outside the stream's transaction: after a crash a dead letter may appear twice, never zero
 * times.
 *
 * <p>Configured with {@link DeadLetterDeserializationHandler#TOPIC} and {@link
 * DeadLetterDeserializationHandler#ROLE} in the Streams properties.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

  private static final Logger LOG = Logger.getLogger(DeadLetterProcessingHandler.class);

  private KafkaProducer<byte[], byte[]> producer;
  private String topic;
  private String role;

  @Override
  public void configure(Map<String, ?> configs) {
    topic = String.valueOf(configs.get(DeadLetterDeserializationHandler.TOPIC));
    role = String.valueOf(configs.get(DeadLetterDeserializationHandler.ROLE));
    producer =
        new KafkaProducer<>(
            KafkaClients.producer(
                String.valueOf(configs.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG))));
  }

  @Override
  public ProcessingHandlerResponse handle(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (TransientErrors.isTransient(exception)) {
      LOG.warnf(
          "%s: cannot process %s-%d@%d now (%s); the task will retry",
          role,
          context.topic(),
          Integer.valueOf(context.partition()),
          Long.valueOf(context.offset()),
          exception.getMessage());
      return ProcessingHandlerResponse.FAIL;
    }
    var reason = DeadLetters.reason("processing failed in " + context.processorNodeId(), exception);
    LOG.warnf(
        exception,
        "%s: %s-%d@%d to the dead-letter topic: %s",
        role,
        context.topic(),
        Integer.valueOf(context.partition()),
        Long.valueOf(context.offset()),
        reason);
    try {
      producer
          .send(
              DeadLetters.of(
                  topic,
                  role,
                  context.topic(),
                  context.partition(),
                  context.offset(),
                  context.sourceRawKey(),
                  context.sourceRawValue(),
                  reason))
          .get();
      return ProcessingHandlerResponse.CONTINUE;
    } catch (Exception e) {
      // Not written anywhere: stop rather than drop it.
      LOG.errorf(e, "%s: cannot write a dead letter; stopping", role);
      return ProcessingHandlerResponse.FAIL;
    }
  }
}
