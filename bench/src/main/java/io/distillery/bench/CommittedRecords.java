package io.distillery.bench;

import static io.distillery.bench.ClassifierBench.check;
import static io.distillery.bench.ClassifierBench.partitions;

import io.distillery.common.KafkaClients;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** A topic read to its last stable offset, for the benchmarks' counts. */
final class CommittedRecords {

  private CommittedRecords() {}

  /** Reads every committed record of {@code topic}, as bytes; returns how many. */
  static long readAll(
      String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    var props = KafkaClients.stateReader(bootstrap, "bench-reader");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    long count = 0;
    try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
      var partitions = partitions(topic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // Read-committed: the end is the last stable offset, past the last commit marker.
      var end = consumer.endOffsets(partitions);
      var deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        check(System.nanoTime() < deadline, "cannot read " + topic + " to its end");
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          each.accept(record);
          count++;
        }
      }
    }
    return count;
  }
}
