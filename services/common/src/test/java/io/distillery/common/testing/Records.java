package io.distillery.common.testing;

import io.distillery.common.KafkaClients;
import io.distillery.common.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** Reading and writing test records on the real broker. */
public final class Records {

  private Records() {}

  /** Writes records and waits for their acknowledgement. */
  public static <K, V> void send(
      String bootstrap, Topic<K, V> topic, List<ProducerRecord<K, V>> records) {
    try (var producer =
        new KafkaProducer<>(
            KafkaClients.producer(bootstrap),
            topic.keySerde().serializer(),
            topic.valueSerde().serializer())) {
      for (var record : records) {
        producer.send(record);
      }
      producer.flush();
    }
  }

  /**
   * Reads committed records of {@code topic} from the start until {@code done} holds for what was
   * read, or the timeout passes; returns what was read either way.
   */
  public static <K, V> List<ConsumerRecord<K, V>> readUntil(
      String bootstrap,
      Topic<K, V> topic,
      Duration timeout,
      Predicate<List<ConsumerRecord<K, V>>> done) {
    var props = KafkaClients.transactionalConsumer(bootstrap, "test-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    var out = new ArrayList<ConsumerRecord<K, V>>();
    try (var consumer =
        new KafkaConsumer<>(
            props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      consumer.subscribe(List.of(topic.name()));
      var deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && !done.test(out)) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /**
   * Every committed record of {@code topic} at the time of the call: from the start of each
   * partition to its end (the last stable offset, as a {@code read_committed} reader sees it).
   *
   * @throws IllegalStateException when the end is not reached within {@code timeout}
   */
  public static <K, V> List<ConsumerRecord<K, V>> readToEnd(
      String bootstrap, Topic<K, V> topic, Duration timeout) {
    var props = KafkaClients.transactionalConsumer(bootstrap, "test-reader-" + UUID.randomUUID());
    var out = new ArrayList<ConsumerRecord<K, V>>();
    try (var consumer =
        new KafkaConsumer<>(
            props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      var partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      var deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "did not reach the end of " + topic.name() + " in " + timeout + ": " + end);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
