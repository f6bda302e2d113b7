package io.distillery.labeler;

import io.distillery.common.Codebook;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
import io.distillery.common.Role;
import io.distillery.common.RoleName;
import io.distillery.common.Topics;
import io.distillery.common.TransactionalLoop;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;

/** The labeler role: reads raw texts, writes teacher labels, exactly once. */
public final class Labeler implements Role {

  private final Teacher teacher;
  private final ExecutorService calls;
  private final TransactionalLoop loop;
  private final TeacherCache cache;
  private final KafkaProducer<byte[], byte[]> cacheProducer;
  private final String bootstrapServers;

  public Labeler(
      DistilleryConfig common,
      LabelerConfig config,
      TeacherConfig teacherConfig,
      Topics topics,
      Codebook codebook) {
    this(common, config, teacherConfig, topics, codebook, Teachers.create(teacherConfig, codebook));
  }

  /** With a given teacher (tests, or a teacher built elsewhere). */
  public Labeler(
      DistilleryConfig common,
      LabelerConfig config,
      TeacherConfig teacherConfig,
      Topics topics,
      Codebook codebook,
      Teacher teacher) {
    this.teacher = teacher;
    int inFlight = Math.max(1, teacherConfig.maxInFlight());
    var threads = new AtomicInteger();
    this.calls =
        Executors.newFixedThreadPool(
            inFlight,
            r -> {
              var thread = new Thread(r, "labeler-call-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    int chunk = Math.max(1, teacherConfig.batchSize());
    // Paid answers are kept, so none is paid twice; offline teachers recompute for free.
    this.cacheProducer =
        !teacher.paid()
            ? null
            : new KafkaProducer<byte[], byte[]>(
                KafkaClients.producer(common.kafka().bootstrapServers()));
    this.cache =
        cacheProducer == null
            ? null
            : new TeacherCache(
                topics.teacherCache(),
                cacheScope(teacher, teacherConfig),
                cacheProducer,
                config.cacheMaxEntries());
    this.bootstrapServers = common.kafka().bootstrapServers();
    var handler =
        new LabelingHandler(
            topics, teacher, codebook.task(), Clock.systemUTC(), chunk, calls, cache);
    // Enough texts per poll to keep every call slot busy a few times over, and no more in memory.
    int maxPoll = Math.max(100, Math.min(500, inFlight * chunk * 4));
    this.loop =
        new TransactionalLoop(
            RoleName.LABELER.id(),
            common.kafka().bootstrapServers(),
            config.groupId(),
            List.of(topics.forTeacher().name()),
            handler,
            maxPoll);
  }

  @Override
  public String name() {
    return RoleName.LABELER.id();
  }

  /** Everything besides the text that decides a teacher's answer. */
  static String cacheScope(Teacher teacher, TeacherConfig config) {
    var id = teacher.identity();
    return String.join(
        "|",
        id.getKind(),
        id.getModel(),
        id.getPromptVersion(),
        "t=" + config.temperature(),
        "k=" + config.samples(),
        "kt=" + config.samplesTemperature(),
        "batch=" + config.batchSize(),
        "pii=" + config.redactPii());
  }

  @Override
  public void start() {
    if (cache != null) {
      cache.load(bootstrapServers);
    }
    loop.start();
  }

  /** The teacher cache, if this teacher's answers are cached. */
  public java.util.Optional<TeacherCache> cache() {
    return java.util.Optional.ofNullable(cache);
  }

  @Override
  public Health health() {
    if (loop.failure() != null) {
      return new Health(false, "stopped: " + loop.failure());
    }
    if (loop.waiting() != null) {
      return new Health(loop.ready(), "waiting: " + loop.waiting());
    }
    return new Health(
        loop.ready(), loop.ready() ? "labeled " + loop.processed() + " records" : "starting");
  }

  @Override
  public boolean failed() {
    return loop.failure() != null;
  }

  /** Records handled so far. */
  public long processed() {
    return loop.processed();
  }

  /** The teacher in use. */
  public Teacher teacher() {
    return teacher;
  }

  @Override
  public void close() {
    loop.close();
    calls.shutdownNow();
    if (cacheProducer != null) {
      cacheProducer.close();
    }
    teacher.close();
  }
}
