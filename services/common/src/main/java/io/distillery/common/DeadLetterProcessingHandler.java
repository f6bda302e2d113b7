package io.distillery.common;

import java.util.Map;
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

  private DeadLetterSender sender;

  @Override
  public void configure(Map<String, ?> configs) {
    sender = new DeadLetterSender(configs);
  }

  @Override
  public ProcessingHandlerResponse handle(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (TransientErrors.isTransient(exception)) {
      LOG.warnf(
          "%s: cannot process %s-%d@%d now (%s); the task will retry",
          sender.role(),
          context.topic(),
          Integer.valueOf(context.partition()),
          Long.valueOf(context.offset()),
          exception.getMessage());
      return ProcessingHandlerResponse.FAIL;
    }
    // The stack trace: a processing failure that is not transient is most likely a bug.
    LOG.warnf(exception, "%s: processing failed in %s", sender.role(), context.processorNodeId());
    var reason = DeadLetters.reason("processing failed in " + context.processorNodeId(), exception);
    return sender.send(
            context.topic(),
            context.partition(),
            context.offset(),
            context.sourceRawKey(),
            context.sourceRawValue(),
            reason)
        ? ProcessingHandlerResponse.CONTINUE
        : ProcessingHandlerResponse.FAIL;
  }
}
