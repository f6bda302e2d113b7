package io.distillery.bench.chaos;

import io.distillery.common.KafkaClients;
import io.distillery.common.Topics;
import io.distillery.schema.TextEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Streams the good texts at a steady pace to the raw topic, as outside programs do: a third keyed
 * by id with the Java partitioner, a third on the partition librdkafka's CRC32 partitioner picks, a
 * third without a key; and, between them, poison of five kinds, each under a unique key so its dead
 * letter can be found. What the broker acknowledges goes to the ledger; a send that fails after the
 * producer's own retries is counted, never silently left out.
 */
final class ChaosProducer implements Runnable {

  /** The kinds of poison, in turn. */
  enum Poison {
    NOT_AVRO,
    EMPTY_TEXT,
    OVERSIZED_TEXT,
    BAD_UTF8,
    UNKNOWN_SCHEMA_ID
  }

  private static final String PLACEHOLDER = "BADUTF8!";
  private static final byte[] BAD_UTF8 = {
    'b', 'a', 'd', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 'x', 'y'
  };

  private final String bootstrapServers;
  private final Topics topics;
  private final int partitions;
  private final SampleTexts samples;
  private final ChaosSettings settings;
  private final ChaosLedger ledger;
  private final AtomicInteger failedSends = new AtomicInteger();
  private volatile boolean done;

  ChaosProducer(
      String bootstrapServers,
      Topics topics,
      int partitions,
      SampleTexts samples,
      ChaosSettings settings,
      ChaosLedger ledger) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.partitions = partitions;
    this.samples = samples;
    this.settings = settings;
    this.ledger = ledger;
  }

  boolean done() {
    return done;
  }

  /** Sends the broker never acknowledged, after the producer's retries. */
  int failedSends() {
    return failedSends.get();
  }

  @Override
  public void run() {
    var props = KafkaClients.producer(bootstrapServers);
    // A broker restart must not fail a send: the producer waits it out and retries.
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "chaos-producer");
    var random = new Random(settings.seed());
    var serializer = topics.raw().valueSerde().serializer();
    var topic = topics.raw().name();
    long start = System.nanoTime();
    int poisons = 0;
    try (var producer = new KafkaProducer<byte[], byte[]>(props)) {
      for (int i = 0; i < settings.texts(); i++) {
        pace(start, i);
        var id = SampleTexts.id(i);
        var value = serializer.serialize(topic, event(id, samples.text(i)));
        var key = id.getBytes(StandardCharsets.UTF_8);
        var record =
            switch (i % 3) {
              case 0 -> new ProducerRecord<>(topic, key, value);
              case 1 -> new ProducerRecord<>(topic, crc32Partition(key), key, value);
              default -> new ProducerRecord<byte[], byte[]>(topic, null, value);
            };
        producer.send(record, (m, e) -> acknowledged(e, () -> ledger.sentGood(id)));
        if (random.nextDouble() < settings.poisonShare()) {
          var kind = Poison.values()[poisons % Poison.values().length];
          var poisonKey = "poison-" + kind.name().toLowerCase() + "-" + poisons++;
          var bytes = poison(kind, poisonKey, serializer, topic);
          producer.send(
              new ProducerRecord<>(topic, poisonKey.getBytes(StandardCharsets.UTF_8), bytes),
              (m, e) -> acknowledged(e, () -> ledger.sentPoison(poisonKey)));
        }
      }
      producer.flush();
    } finally {
      done = true;
    }
  }

  private void acknowledged(Exception error, Runnable onSuccess) {
    if (error == null) {
      onSuccess.run();
    } else {
      failedSends.incrementAndGet();
      System.err.println("chaos: a send failed after the producer's retries: " + error);
    }
  }

  private void pace(long start, int i) {
    long due = start + (long) (i / settings.textsPerSecond() * 1e9);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** The partition librdkafka's default ({@code consistent_random}) partitioner gives a key. */
  private int crc32Partition(byte[] key) {
    var crc = new CRC32();
    crc.update(key);
    return (int) (crc.getValue() % partitions);
  }

  private static TextEvent event(String id, String text) {
    return TextEvent.newBuilder()
        .setId(id)
        .setText(text)
        .setSource("chaos")
        .setIngestedAt(Instant.now())
        .build();
  }

  private static byte[] poison(
      Poison kind,
      String key,
      org.apache.kafka.common.serialization.Serializer<TextEvent> serializer,
      String topic) {
    return switch (kind) {
      case NOT_AVRO ->
          ("{\"id\": \"" + key + "\", \"text\": \"json, not Avro\"}")
              .getBytes(StandardCharsets.UTF_8);
      case EMPTY_TEXT -> serializer.serialize(topic, event(key, ""));
      case OVERSIZED_TEXT -> serializer.serialize(topic, event(key, "x".repeat(100_001)));
      case BAD_UTF8 -> {
        var bytes = serializer.serialize(topic, event(key, PLACEHOLDER));
        int at = indexOf(bytes, PLACEHOLDER.getBytes(StandardCharsets.US_ASCII));
        System.arraycopy(BAD_UTF8, 0, bytes, at, BAD_UTF8.length);
        yield bytes;
      }
      case UNKNOWN_SCHEMA_ID -> {
        var bytes = serializer.serialize(topic, event(key, "a text under a schema id nobody has"));
        // Magic byte 0, then a 4-byte id no registry assigned.
        bytes[1] = 0x7f;
        bytes[2] = (byte) 0xff;
        bytes[3] = (byte) 0xff;
        bytes[4] = (byte) 0xf0;
        yield bytes;
      }
    };
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new IllegalStateException("placeholder not found in the serialized text");
  }
}
