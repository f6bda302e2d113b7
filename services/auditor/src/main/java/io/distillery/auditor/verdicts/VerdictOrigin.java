package io.distillery.auditor.verdicts;

import io.distillery.common.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Where a verdict was first read: topic, partition and offset on {@code review.verdicts}. Verdicts
 * are repartitioned by id before they are checked (see {@link VerdictRoute}), so by then the
 * record's own metadata names the internal repartition topic; a dead letter must name the record as
 * its producer wrote it, so the route stamps these headers and {@link VerdictCheck} reads them.
 *
 * @param topic the topic the verdict was written to
 * @param partition its partition there
 * @param offset its offset there
 */
public record VerdictOrigin(String topic, int partition, long offset) {

  private static final Logger LOG = Logger.getLogger(VerdictOrigin.class);

  static final String TOPIC = "distillery.origin.topic";
  static final String PARTITION = "distillery.origin.partition";
  static final String OFFSET = "distillery.origin.offset";

  /**
   * The metadata of a record read from a topic; a punctuated record has none, and is a bug here.
   */
  static RecordMetadata source(java.util.Optional<RecordMetadata> metadata) {
    return metadata.orElseThrow(
        () -> new IllegalStateException("a source record without topic, partition and offset"));
  }

  static VerdictOrigin of(RecordMetadata metadata) {
    return new VerdictOrigin(metadata.topic(), metadata.partition(), metadata.offset());
  }

  /**
   * The dead letter of a verdict read here that cannot count: logged, counted, and naming this
   * origin (not the repartition topic) in its headers.
   */
  ProducerRecord<byte[], byte[]> deadLetter(
      String dlqTopic, byte[] key, byte[] value, String reason, VerdictCounters counters) {
    LOG.warnf(
        "auditor: verdict %s-%d@%d to the dead-letter topic: %s",
        topic, Integer.valueOf(partition), Long.valueOf(offset), reason);
    counters.addDeadLettered();
    return DeadLetters.of(
        dlqTopic, VerdictCheck.ROLE, topic, partition, offset, key, value, reason);
  }

  /** Replaces any origin headers a producer may have sent with this origin. */
  void stamp(Headers headers) {
    headers.remove(TOPIC).remove(PARTITION).remove(OFFSET);
    headers.add(TOPIC, utf8(topic));
    headers.add(PARTITION, utf8(Integer.toString(partition)));
    headers.add(OFFSET, utf8(Long.toString(offset)));
  }

  /**
   * The origin stamped on {@code headers}, or {@code fallback} (the record's own metadata) when
   * they carry none.
   */
  static VerdictOrigin read(Headers headers, RecordMetadata fallback) {
    var topic = headers.lastHeader(TOPIC);
    var partition = headers.lastHeader(PARTITION);
    var offset = headers.lastHeader(OFFSET);
    if (topic == null || partition == null || offset == null) {
      return of(fallback);
    }
    return new VerdictOrigin(
        string(topic.value()),
        Integer.parseInt(string(partition.value())),
        Long.parseLong(string(offset.value())));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
