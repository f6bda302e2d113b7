package io.distillery.classifier;

/**
 * A raw record held in the pending store while no model exists: its original bytes and where it was
 * read, so it can be scored later, or dead-lettered with the same headers it would have had at
 * once.
 *
 * @param key the original key bytes, or null
 * @param value the original value bytes
 * @param topic the source topic
 * @param partition the source partition
 * @param offset the source offset
 * @param timestamp the record timestamp, kept on the scored output
 * @param sentToTeacher whether it went to the teacher on arrival (it arrived while no model
 *     existed), so scoring it later does not send it again
 */
record PendingRecord(
    byte[] key,
    byte[] value,
    String topic,
    int partition,
    long offset,
    long timestamp,
    boolean sentToTeacher) {

  /** The same record, marked as sent to the teacher. */
  PendingRecord sent() {
    return new PendingRecord(key, value, topic, partition, offset, timestamp, true);
  }

  /** The store key: zero-padded so the store's byte order is the source order. */
  static String storeKey(int partition, long offset) {
    return String.format("%010d-%020d", partition, offset);
  }
}
