package io.distillery.labeler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.KafkaClients;
import io.distillery.common.PollLoop;
import io.distillery.common.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Teacher answers by (prompt version, model, sampling parameters, text hash), durable in a
 * compacted topic and held in memory. An answer is written to the topic as soon as it is paid for,
 * outside the labeler's transaction, and flushed before the labels commit: after a crash in
 * between, the redo is answered from the cache, free (an answer whose label never committed is
 * harmless: the redo uses it). On start the cache is rebuilt from the topic. A restart, a replay or
 * a duplicate text never pays twice while its answer is held.
 *
 * <p>Memory holds at most {@code maxEntries} answers, the least recently used evicted first; the
 * topic keeps them all. An evicted answer only means that a later duplicate of its text pays the
 * teacher again (and that answer is cached anew). An entry takes about 300 bytes of heap: the key
 * (81 Latin-1 characters, about 130 bytes), the map's linked entry and table slot (about 50), the
 * answer record (about 50), its label string (about 50) and two boxed doubles (about 30); the
 * default of {@value #DEFAULT_MAX_ENTRIES} entries is about 60 MB.
 */
public final class TeacherCache {

  private static final Logger LOG = Logger.getLogger(TeacherCache.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Answers held in memory unless configured otherwise ({@link LabelerConfig#cacheMaxEntries}). */
  public static final int DEFAULT_MAX_ENTRIES = 200_000;

  private final Topic<String, byte[]> topic;
  private final String scope;
  private final Producer<byte[], byte[]> producer;
  // Guarded by itself: in access order, even a get reorders the map.
  private final Lru entries;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /** A cache holding at most {@value #DEFAULT_MAX_ENTRIES} answers in memory. */
  public TeacherCache(
      Topic<String, byte[]> topic, String scope, Producer<byte[], byte[]> producer) {
    this(topic, scope, producer, DEFAULT_MAX_ENTRIES);
  }

  /**
   * @param topic the cache topic
   * @param scope what besides the text decides an answer: prompt version, model, sampling
   *     parameters
   * @param producer writes new answers (idempotent, not transactional)
   * @param maxEntries the most answers held in memory
   */
  public TeacherCache(
      Topic<String, byte[]> topic,
      String scope,
      Producer<byte[], byte[]> producer,
      int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
    }
    this.topic = topic;
    this.scope = scope;
    this.producer = producer;
    this.entries = new Lru(maxEntries);
  }

  /**
   * Reads the cache topic to its end; entries of other scopes are skipped. When the topic holds
   * more answers than memory may, the last ones read are kept.
   */
  public void load(String bootstrapServers) {
    try (var consumer =
        new KafkaConsumer<byte[], byte[]>(
            KafkaClients.stateReader(bootstrapServers, "distillery-teacher-cache"))) {
      var partitions = new ArrayList<TopicPartition>();
      consumer
          .partitionsFor(topic.name(), Duration.ofSeconds(60))
          .forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      PollLoop.readToEnd(
          consumer,
          end,
          record -> {
            var key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() != null && key.startsWith(scopePrefix())) {
              var answer = read(record.value());
              synchronized (entries) {
                entries.put(key, answer);
              }
            }
          },
          () -> {});
    }
    LOG.infof(
        "teacher cache: %d answers for this prompt version and model held, %d more on the topic"
            + " only",
        size(), evictions());
  }

  /** The cached answer for a text, counting the hit or miss. */
  public Optional<Teacher.TeacherLabel> get(String text) {
    var key = key(text);
    Optional<Teacher.TeacherLabel> answer;
    synchronized (entries) {
      answer = Optional.ofNullable(entries.get(key));
    }
    (answer.isPresent() ? hits : misses).incrementAndGet();
    return answer;
  }

  /** Keeps an answer and starts writing it to the cache topic. */
  public void put(String text, Teacher.TeacherLabel answer) {
    var key = key(text);
    synchronized (entries) {
      entries.put(key, answer);
    }
    try {
      producer.send(
          new ProducerRecord<>(
              topic.name(), key.getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(answer)),
          (metadata, error) -> {
            if (error != null) {
              // The label itself is unaffected; only a later redo of this text would pay again.
              LOG.warnf("teacher cache: an answer was not stored: %s", error.getMessage());
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until every answer put so far is on the topic. */
  public void flush() {
    producer.flush();
  }

  /** Lookups answered from the cache. */
  public long hits() {
    return hits.get();
  }

  /** Lookups the teacher had to answer. */
  public long misses() {
    return misses.get();
  }

  /** Answers dropped from memory to keep the bound, those passed over while loading included. */
  public long evictions() {
    synchronized (entries) {
      return entries.evictions;
    }
  }

  /** Answers held in memory. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private String scopePrefix() {
    return sha256(scope).substring(0, 16) + ":";
  }

  String key(String text) {
    return scopePrefix() + sha256(text);
  }

  private static Teacher.TeacherLabel read(byte[] bytes) {
    try {
      return JSON.readValue(bytes, Teacher.TeacherLabel.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers in access order, the least recently used dropped once there are too many. */
  private static final class Lru extends LinkedHashMap<String, Teacher.TeacherLabel> {
    private static final long serialVersionUID = 1L;

    private final int maxEntries;
    private long evictions;

    Lru(int maxEntries) {
      super(16, 0.75f, true);
      this.maxEntries = maxEntries;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Teacher.TeacherLabel> eldest) {
      if (size() <= maxEntries) {
        return false;
      }
      evictions++;
      return true;
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
