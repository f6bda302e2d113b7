package io.distillery.auditor.verdicts;

import io.distillery.common.DeadLetters;
import io.distillery.common.TransientErrors;
import io.distillery.schema.ReviewVerdict;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first step for every verdict, before it is repartitioned by text id: whatever client wrote
 * it, and to whatever partition, it must meet its text's teacher label in the same stream task.
 * librdkafka's default partitioner (Python, Go, Node and .NET clients) hashes keys with CRC32, the
 * Java client with murmur2, and a tool may pick partitions itself; so the auditor never trusts the
 * producer's partition, and re-partitions verdicts by key with the Java partitioner, as the labeled
 * topic is.
 *
 * <p>Each verdict keeps its key and value bytes and gets its origin stamped ({@link
 * VerdictOrigin}), so a later dead letter names the record its producer wrote. A verdict without a
 * key takes the id in its value. One without a key whose value cannot be read (or a tombstone
 * without a key) has no text to go to: it is forwarded with a null key and dead-letter headers, and
 * the topology sends it straight to the dead-letter topic; nothing with a null key reaches the
 * repartition topic, where Kafka Streams would drop it silently.
 */
public final class VerdictRoute implements Processor<String, byte[], String, byte[]> {

  private final Deserializer<ReviewVerdict> deserializer;
  private final String dlqTopic;
  private final VerdictCounters counters;
  private ProcessorContext<String, byte[]> context;

  public VerdictRoute(
      Deserializer<ReviewVerdict> deserializer, String dlqTopic, VerdictCounters counters) {
    this.deserializer = deserializer;
    this.dlqTopic = dlqTopic;
    this.counters = counters;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    var metadata = VerdictOrigin.source(context.recordMetadata());
    var origin = VerdictOrigin.of(metadata);
    var headers = record.headers();
    origin.stamp(headers);
    if (record.key() != null) {
      context.forward(record);
      return;
    }
    if (record.value() == null) {
      unroutable(record, origin, "a tombstone without a key: it names no text");
      return;
    }
    ReviewVerdict verdict;
    try {
      verdict = deserializer.deserialize(metadata.topic(), record.value());
    } catch (RuntimeException e) {
      if (TransientErrors.isTransient(e)) {
        throw e;
      }
      unroutable(record, origin, DeadLetters.reason("no key, and not a ReviewVerdict", e));
      return;
    }
    context.forward(record.withKey(verdict.getId()));
  }

  private void unroutable(Record<String, byte[]> record, VerdictOrigin origin, String reason) {
    var letter = origin.deadLetter(dlqTopic, null, record.value(), reason, counters);
    context.forward(record.withHeaders(letter.headers()));
  }
}
