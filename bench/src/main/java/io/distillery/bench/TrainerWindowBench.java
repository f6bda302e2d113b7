package io.distillery.bench;

import io.distillery.common.AvroSerdes;
import io.distillery.common.Codebook;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
import io.distillery.common.TopicAdmin;
import io.distillery.common.Topics;
import io.distillery.devcluster.EmbeddedKafka;
import io.distillery.devcluster.SchemaRegistryProcess;
import io.distillery.labeler.TeacherKind;
import io.distillery.schema.LabeledText;
import io.distillery.schema.TeacherIdentity;
import io.distillery.students.DjlEnvironment;
import io.distillery.students.LabelledDataset;
import io.distillery.trainer.Trainer;
import io.distillery.trainer.TrainerConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The trainer role's start-up time and retained memory as its labeled topic grows to a million
 * labels, with the training window (the default, 50,000) and without one (every label kept, as the
 * trainer did before the window), side by side in one run on one broker.
 *
 * <p>Each stage writes labels (movie-review sentences, each id new) until the topic holds that
 * many, then starts a trainer of each setting, times it from {@code start()} until it has caught up
 * with the topics, and measures the heap it retains (used heap after a full GC, less the same
 * before it started). The gate never passes here, so no trainer trains: start-up and state are all
 * that is measured.
 *
 * <pre>
 * ./mvnw -B -q install -pl bench,deploy/schema-registry -am -DskipTests
 * java -Xmx4g -cp "bench/target/distillery-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)" \
 *   io.distillery.bench.TrainerWindowBench        # -Dbench.stages=10000,100000,1000000
 * </pre>
 */
public final class TrainerWindowBench {

  private static final java.util.logging.Logger ROOT_LOG = LogManager.getLogManager().getLogger("");
  private static final java.util.logging.Logger APICURIO_LOG =
      java.util.logging.Logger.getLogger("io.apicurio");
  private static final int PARTITIONS = 3;
  private static final Codebook CODEBOOK =
      new Codebook(
          "sentiment",
          "Opinion of a film",
          List.of(
              new Codebook.Label("negative", "A negative opinion."),
              new Codebook.Label("positive", "A positive opinion.")),
          "",
          List.of());

  /**
   * @param labels labels in the topic
   * @param window the trainer's training window, or {@code "none"}
   * @param startSeconds from {@code start()} to caught up
   * @param retainedMb heap the trainer retains once caught up
   */
  record Row(long labels, String window, double startSeconds, double retainedMb) {}

  private TrainerWindowBench() {}

  public static void main(String[] args) throws Exception {
    DjlEnvironment.offline();
    ROOT_LOG.setLevel(Level.WARNING);
    APICURIO_LOG.setLevel(Level.SEVERE);
    var datasets = Path.of(System.getProperty("distillery.datasets", "../shared/datasets"));
    var registryJar =
        Path.of(
            System.getProperty(
                "distillery.registry.jar",
                "deploy/schema-registry/target/quarkus-app/quarkus-run.jar"));
    var stages =
        Arrays.stream(System.getProperty("bench.stages", "10000,100000,1000000").split(","))
            .mapToLong(Long::parseLong)
            .toArray();
    var texts =
        LabelledDataset.read(datasets.resolve("movie-review-polarity").resolve("data.jsonl"))
            .stream()
            .map(LabelledDataset.Row::text)
            .toList();
    var work = Files.createTempDirectory("distillery-trainer-window-bench");
    try (var kafka = EmbeddedKafka.start(work.resolve("kafka"), 0);
        var registry = SchemaRegistryProcess.start(registryJar, work.resolve("registry.log"))) {
      var topics = Topics.create("window", new AvroSerdes(registry.url()));
      TopicAdmin.ensureTopics(
          kafka.bootstrapServers(),
          topics.newTopics(PARTITIONS, (short) 1),
          Duration.ofSeconds(60));
      var producerSettings = KafkaClients.producer(kafka.bootstrapServers());
      producerSettings.put(ProducerConfig.LINGER_MS_CONFIG, "20");
      producerSettings.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
      System.out.println(
          "| labels in the topic | training window | start-up (s) | heap retained (MB) |");
      System.out.println("|---|---|---|---|");
      long written = 0;
      try (var producer =
          new KafkaProducer<>(
              producerSettings,
              new StringSerializer(),
              topics.labeled().valueSerde().serializer())) {
        for (long stage : stages) {
          var writeStart = System.nanoTime();
          for (; written < stage; written++) {
            var id = "t" + written;
            producer.send(
                new ProducerRecord<>(
                    topics.labeled().name(),
                    id,
                    label(id, texts.get((int) (written % texts.size())))));
          }
          producer.flush();
          if (stage == stages[0]) {
            // Class loading and the JIT's first pass, so the first row is not slower for them.
            measure(kafka.bootstrapServers(), registry.url(), topics, work, "none", written);
          }
          System.err.printf(
              Locale.ROOT,
              "wrote %,d labels (%.1f s)%n",
              written,
              (System.nanoTime() - writeStart) / 1e9);
          for (var window : List.of("50000", "none")) {
            var row =
                measure(kafka.bootstrapServers(), registry.url(), topics, work, window, written);
            System.out.printf(
                Locale.ROOT,
                "| %,d | %s | %.2f | %.0f |%n",
                row.labels(),
                row.window().equals("none") ? "none (every label)" : row.window(),
                row.startSeconds(),
                row.retainedMb());
          }
        }
      }
    } finally {
      deleteTree(work);
    }
  }

  private static LabeledText label(String id, String text) {
    return LabeledText.newBuilder()
        .setId(id)
        .setText(text)
        .setTask(CODEBOOK.task())
        .setLabel(id.hashCode() % 2 == 0 ? "positive" : "negative")
        .setConfidence(0.9)
        .setTeacher(new TeacherIdentity(TeacherKind.REPLAY.id(), "bench", CODEBOOK.promptVersion()))
        .setLabeledAt(Instant.now())
        .build();
  }

  private static Row measure(
      String bootstrap, String registryUrl, Topics topics, Path work, String window, long labels)
      throws Exception {
    var settings = new HashMap<String, String>();
    settings.put("distillery.kafka.bootstrap-servers", bootstrap);
    settings.put("distillery.registry.url", registryUrl);
    settings.put("distillery.state-dir", work.resolve("state").toString());
    settings.put(
        "distillery.trainer.training-window",
        window.equals("none") ? Integer.toString(Integer.MAX_VALUE) : window);
    var config =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(settings, "bench", 500))
            .withMapping(DistilleryConfig.class)
            .withMapping(TrainerConfig.class)
            .build();
    long before = heapAfterGc();
    try (var trainer =
        new Trainer(
            config.getConfigMapping(DistilleryConfig.class),
            config.getConfigMapping(TrainerConfig.class),
            topics,
            CODEBOOK)) {
      long start = System.nanoTime();
      trainer.start();
      while (!trainer.health().ready()) {
        Thread.sleep(10);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double retained = (heapAfterGc() - before) / 1e6;
      return new Row(labels, window, seconds, retained);
    }
  }

  private static long heapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (var path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
