package io.distillery.bench.chaos;

import io.distillery.common.KafkaClients;
import io.distillery.common.Topics;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A reviewer tool as outside teams write them: it reads every review request (read committed, from
 * the start, no group) and answers each once with the text's human label, writing the verdict as a
 * foreign client would, a third on librdkafka's CRC32 partition, a third with the Java partitioner,
 * a third without a key. The ids whose verdict the broker acknowledged go to the ledger.
 */
final class ChaosReviewer implements Runnable {

  private final String bootstrapServers;
  private final Topics topics;
  private final int partitions;
  private final SampleTexts samples;
  private final ChaosLedger ledger;
  private final String task;
  private final Set<String> answered = new HashSet<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong lastRequestNanos = new AtomicLong(System.nanoTime());
  private volatile boolean running = true;

  ChaosReviewer(
      String bootstrapServers,
      Topics topics,
      int partitions,
      SampleTexts samples,
      ChaosLedger ledger,
      String task) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.partitions = partitions;
    this.samples = samples;
    this.ledger = ledger;
    this.task = task;
  }

  /** Distinct requests seen. */
  int requests() {
    return requests.get();
  }

  /** How long since the last new request was seen. */
  Duration sinceLastRequest() {
    return Duration.ofNanos(System.nanoTime() - lastRequestNanos.get());
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    var props = KafkaClients.producer(bootstrapServers);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "chaos-reviewer");
    var requestTopic = topics.reviewRequests().name();
    var verdictTopic = topics.reviewVerdicts().name();
    var reader = topics.reviewRequests().valueSerde().deserializer();
    var writer = topics.reviewVerdicts().valueSerde().serializer();
    try (var consumer =
            new KafkaConsumer<byte[], byte[]>(
                KafkaClients.stateReader(bootstrapServers, "chaos-reviewer"));
        var producer = new KafkaProducer<byte[], byte[]>(props)) {
      var assigned = new ArrayList<TopicPartition>();
      consumer
          .partitionsFor(requestTopic, Duration.ofSeconds(60))
          .forEach(p -> assigned.add(new TopicPartition(requestTopic, p.partition())));
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      int sent = 0;
      while (running) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          ReviewRequest request = reader.deserialize(requestTopic, record.value());
          if (request == null || !answered.add(request.getId())) {
            continue;
          }
          requests.incrementAndGet();
          lastRequestNanos.set(System.nanoTime());
          var id = request.getId();
          var label = samples.humanLabel(request.getText());
          if (label == null) {
            System.err.println("chaos: no human label for the requested text " + id);
            continue;
          }
          var verdict =
              ReviewVerdict.newBuilder()
                  .setId(id)
                  .setTask(task)
                  .setLabel(label)
                  .setSkipped(false)
                  .setReviewer("chaos-reviewer")
                  .setDecidedAt(Instant.now())
                  .build();
          var key = id.getBytes(StandardCharsets.UTF_8);
          var value = writer.serialize(verdictTopic, verdict);
          var out =
              switch (sent++ % 3) {
                case 0 -> new ProducerRecord<>(verdictTopic, crc32Partition(key), key, value);
                case 1 -> new ProducerRecord<>(verdictTopic, key, value);
                default -> new ProducerRecord<byte[], byte[]>(verdictTopic, null, value);
              };
          producer.send(
              out,
              (m, e) -> {
                if (e == null) {
                  ledger.sentVerdict(id);
                } else {
                  System.err.println("chaos: a verdict was not acknowledged: " + e);
                }
              });
        }
      }
      producer.flush();
    }
  }

  private int crc32Partition(byte[] key) {
    var crc = new CRC32();
    crc.update(key);
    return (int) (crc.getValue() % partitions);
  }
}
