package io.distillery.common;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters: the original key and value bytes, with headers saying why and where from. Every
 * role writes them the same way so operators can replay or inspect them with one tool.
 */
public final class DeadLetters {

  /** Why the record was dead-lettered. */
  public static final String REASON = "dlq.reason";

  /** The topic the record was read from. */
  public static final String SOURCE_TOPIC = "dlq.source.topic";

  /** The partition the record was read from. */
  public static final String SOURCE_PARTITION = "dlq.source.partition";

  /** The offset of the record in its source partition. */
  public static final String SOURCE_OFFSET = "dlq.source.offset";

  /** The role that gave up on it. */
  public static final String ROLE = "dlq.role";

  private DeadLetters() {}

  /** A dead letter for a record read from {@code topic}/{@code partition}/{@code offset}. */
  public static ProducerRecord<byte[], byte[]> of(
      String dlqTopic,
      String role,
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      String reason) {
    var headers = new RecordHeaders();
    headers.add(REASON, utf8(reason));
    headers.add(SOURCE_TOPIC, utf8(topic));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    headers.add(ROLE, utf8(role));
    return new ProducerRecord<>(dlqTopic, null, key, value, headers);
  }

  /** A short, single-line reason from an exception: its type and message, root cause included. */
  public static String reason(String what, Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    var message =
        root.getMessage() == null
            ? root.getClass().getSimpleName()
            : root.getClass().getSimpleName() + ": " + root.getMessage();
    var text = what + ": " + message;
    return text.length() > 500 ? text.substring(0, 500) : text;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
