package io.distillery.bench;

import io.distillery.classifier.ClassifierTopology;
import io.distillery.classifier.ModelHolder;
import io.distillery.common.KafkaClients;
import io.distillery.common.TopicAdmin;
import io.distillery.devcluster.EmbeddedKafka;
import io.distillery.devcluster.SchemaRegistryProcess;
import io.distillery.students.DjlEnvironment;
import io.distillery.students.HashedLinearKind;
import io.distillery.students.LabeledExample;
import io.distillery.students.LabelledDataset;
import io.distillery.students.ModelStore;
import io.distillery.students.StudentKinds;
import io.distillery.students.TrainingSettings;
import io.distillery.students.TransformerFinetuneKind;
import io.distillery.students.TransformerSettings;
import io.distillery.students.minilm.CachingEncoder;
import io.distillery.students.minilm.MiniLmEncoder;
import io.distillery.students.minilm.MiniLmHeadKind;
import io.distillery.students.minilm.MiniLmHeadSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The classifier end to end on a real broker, raw texts in, scored texts out, against a bare Kafka
 * Streams passthrough in the same run, and prints a Markdown report (docs/benchmarks.md). One
 * embedded broker (KRaft, in this JVM) and the packaged schema registry (a child JVM) serve three
 * runs, one after another:
 *
 * <ol>
 *   <li>a passthrough: the raw topic's bytes copied to another topic, with the classifier's Kafka
 *       Streams settings ({@link KafkaClients#streams(String, String, String)}: exactly-once v2,
 *       {@code -Dbench.stream-threads} stream threads, default one);
 *   <li>the classifier's topology ({@link ClassifierTopology#build}) with a {@code hashed-linear}
 *       student trained on the LLM's labels of movie-review-polarity, over the same texts;
 *   <li>the same with a {@code minilm-head} student, over fewer texts.
 * </ol>
 *
 * <p>Each run reads a backlog preloaded into a fresh raw topic ({@value #PARTITIONS} partitions,
 * Avro {@code TextEvent}s through the registry), and its throughput is texts / the time from {@code
 * KafkaStreams.start()} until the application's committed offsets cover the whole backlog and every
 * output partition has no open transaction: the last output is committed and readable
 * read-committed. Then, with the application still running, texts are sent one by one at half that
 * throughput for {@link #PACED_FOR} and a read-committed consumer times each from its send (the
 * record timestamp, which Kafka Streams carries to the output) to its arrival: the end-to-end
 * latency a subscriber sees. In a backlog that latency would only say how long a text queued behind
 * the ones before it. The scoring time alone is {@code ScoredText.latency_micros}.
 *
 * <p>Settings: {@code -Ddistillery.datasets=DIR} (default {@code ../shared/datasets}), {@code
 * -Ddistillery.registry.jar=JAR} (default the packaged registry under {@code deploy/}), {@code
 * -Dbench.texts=N} (passthrough and hashed-linear, default 300,000) and {@code
 * -Dbench.minilm-texts=N} (default 6,000), {@code -Dbench.finetune-encoder=bge-small-en-v1.5} (the
 * fine-tuned student's encoder; default all-MiniLM-L6-v2), {@code -Dbench.stream-threads=N} (Kafka
 * Streams threads of every run, the passthrough's too; default 1, as the classifier's {@code
 * stream-threads}).
 */
public final class ClassifierBench {

  /** How to run it, from the repository root; printed with the results. */
  static final String COMMAND =
      "./mvnw -B -q install -pl bench,deploy/schema-registry -am -DskipTests && java -cp"
          + " \"bench/target/distillery-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)\""
          + " io.distillery.bench.ClassifierBench";

  static final String DATASET = "movie-review-polarity";

  /** Partitions of every topic: three, as the raw topic is created by default. */
  static final int PARTITIONS = 3;

  static final int TEXTS = Integer.getInteger("bench.texts", 300_000);
  static final int MINILM_TEXTS = Integer.getInteger("bench.minilm-texts", 6_000);
  static final int FINETUNE_TEXTS = Integer.getInteger("bench.finetune-texts", 3_000);

  /**
   * Kafka Streams threads of every run, the passthrough's too ({@code
   * distillery.classifier.stream-threads}; default 1).
   */
  static final int STREAM_THREADS = Integer.getInteger("bench.stream-threads", 1);

  /**
   * The shipped encoder the transformer-finetune student starts from ({@code bge-small-en-v1.5}).
   */
  static final String FINETUNE_ENCODER =
      System.getProperty("bench.finetune-encoder", TransformerSettings.DEFAULT.pretrained());

  /**
   * LLM labels the transformer-finetune student is fine-tuned on, for one epoch: its scoring speed
   * depends on the encoder's size, not on how well it was trained.
   */
  static final int FINETUNE_TRAINING = 300;

  static final int FINETUNE_WARM_UP = 100;
  static final double FINETUNE_GOAL = 100;

  /** LLM labels the minilm-head student is trained on: its speed does not depend on how many. */
  static final int MINILM_TRAINING = 1_000;

  /** Texts each student scores before its run, to warm the JIT and the encoder up. */
  static final int HASHED_WARM_UP = 20_000;

  static final int MINILM_WARM_UP = 200;

  /** The paced phase's rate, as a share of the run's throughput after startup. */
  static final double PACED_SHARE = 0.5;

  static final Duration PACED_FOR = Duration.ofSeconds(10);
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

  static final double HASHED_GOAL = 20_000;
  static final double PASSTHROUGH_SHARE_GOAL = 0.5;
  static final double MINILM_GOAL = 150;

  /** Plain DistilBERT on these 2 cores, texts/s: the figure, not measured here. */
  static final double DISTILBERT = 28;

  static final String TASK = DATASET;
  static final long SEED = 42;
  static final String BACKLOG = "b-";
  static final String PACED = "p-";

  /**
   * Kept strongly reachable: java.util.logging holds loggers weakly, and would forget the level.
   */
  private static final java.util.logging.Logger ROOT_LOG = LogManager.getLogManager().getLogger("");

  /** Apicurio's client warns, once per serde, that the 2.x registry is deprecated. */
  private static final java.util.logging.Logger APICURIO_LOG =
      java.util.logging.Logger.getLogger("io.apicurio.registry.resolver.client");

  static final long STARTED = System.nanoTime();

  private ClassifierBench() {}

  public static void main(String[] args) throws Exception {
    DjlEnvironment.offline();
    // The broker, the clients and Kafka Streams log every step at INFO; the report is what counts.
    ROOT_LOG.setLevel(Level.WARNING);
    APICURIO_LOG.setLevel(Level.SEVERE);
    var datasets = Path.of(System.getProperty("distillery.datasets", "../shared/datasets"));
    var registryJar =
        Path.of(
            System.getProperty(
                "distillery.registry.jar",
                "deploy/schema-registry/target/quarkus-app/quarkus-run.jar"));
    var rows = LabelledDataset.read(datasets.resolve(DATASET).resolve("data.jsonl"));
    var labels = rows.stream().map(LabelledDataset.Row::humanLabel).distinct().sorted().toList();
    var training =
        rows.stream()
            .filter(r -> r.split().equals("train") && r.llmLabel() != null)
            .map(r -> new LabeledExample(r.text(), r.llmLabel()))
            .toList();
    var minilmTraining = training.subList(0, MINILM_TRAINING);
    var texts = rows.stream().map(LabelledDataset.Row::text).distinct().toList();
    // The encoder caches vectors: minilm-head scores only texts it has never embedded, so every
    // score is a real forward pass, as for new texts in production.
    var trainedOn = new HashSet<String>();
    minilmTraining.forEach(e -> trainedOn.add(e.text()));
    var unseen = texts.stream().filter(t -> !trainedOn.contains(t)).toList();
    if (unseen.size() < MINILM_TEXTS + MINILM_WARM_UP + 100) {
      throw new IllegalStateException(
          DATASET
              + " has "
              + unseen.size()
              + " texts the minilm-head student was not trained on;"
              + " -Dbench.minilm-texts="
              + MINILM_TEXTS
              + " needs "
              + (MINILM_TEXTS + MINILM_WARM_UP + 100));
    }

    var loadBefore = loadAverage();
    var work = Files.createTempDirectory("distillery-classifier-bench");
    try (var kafka = EmbeddedKafka.start(work.resolve("kafka"), 0);
        var registry = SchemaRegistryProcess.start(registryJar, work.resolve("registry.log"));
        var encoder = new CachingEncoder(new MiniLmEncoder(), CachingEncoder.DEFAULT_CAPACITY);
        var admin = Admin.create(TopicAdmin.adminProperties(kafka.bootstrapServers()))) {
      var bench = new ClassifierRuns(kafka.bootstrapServers(), registry.url(), admin, work);
      var hashedKind = new HashedLinearKind(TrainingSettings.DEFAULT);
      var minilmKind = new MiniLmHeadKind(MiniLmHeadSettings.DEFAULT, encoder);
      var finetuneKind =
          new TransformerFinetuneKind(
              TransformerSettings.DEFAULT.withEpochs(1).withPretrained(FINETUNE_ENCODER));
      var kinds = new StudentKinds(List.of(hashedKind, minilmKind, finetuneKind));
      var store = new ModelStore(work.resolve("models"));
      var hashed = bench.train(store, 1, hashedKind, training, labels, kinds);
      var minilm = bench.train(store, 2, minilmKind, minilmTraining, labels, kinds);
      var finetuned =
          bench.train(
              store, 3, finetuneKind, training.subList(0, FINETUNE_TRAINING), labels, kinds);

      var cycled = cycle(texts, TEXTS);
      var results = new ArrayList<Result>();
      var anyTexts = new PacedTexts(texts, true);
      results.add(bench.passthrough(cycled, anyTexts));
      results.add(
          bench.classifier(
              "hashed-linear", hashed, cycled, anyTexts, cycle(texts, HASHED_WARM_UP)));
      int warmUpFrom = unseen.size() - MINILM_WARM_UP;
      results.add(
          bench.classifier(
              "minilm-head",
              minilm,
              unseen.subList(0, MINILM_TEXTS),
              new PacedTexts(unseen.subList(MINILM_TEXTS, warmUpFrom), false),
              unseen.subList(warmUpFrom, unseen.size())));
      int finetuneWarmUpFrom = unseen.size() - FINETUNE_WARM_UP;
      results.add(
          bench.classifier(
              "transformer-finetune",
              finetuned,
              unseen.subList(0, FINETUNE_TEXTS),
              new PacedTexts(unseen.subList(FINETUNE_TEXTS, finetuneWarmUpFrom), false),
              unseen.subList(finetuneWarmUpFrom, unseen.size())));
      System.out.print(
          ClassifierReport.markdown(
              datasets.resolve(DATASET),
              List.of(hashed, minilm, finetuned),
              results,
              loadBefore,
              loadAverage()));
    } finally {
      deleteTree(work);
    }
  }

  /** The passthrough: raw bytes from one topic to another, nothing else. */
  static Topology passthroughTopology(String from, String to) {
    return new Topology()
        .addSource(
            "passthrough-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), from)
        .addSink(
            "passthrough-sink",
            to,
            new ByteArraySerializer(),
            new ByteArraySerializer(),
            "passthrough-source");
  }

  static List<TopicPartition> partitions(String topic) {
    return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
  }

  static List<String> cycle(List<String> texts, int size) {
    return IntStream.range(0, size).mapToObj(i -> texts.get(i % texts.size())).toList();
  }

  static void check(boolean condition, String failure) {
    if (!condition) {
      // A run that lost or duplicated texts measures nothing.
      throw new IllegalStateException(failure);
    }
  }

  static void progress(String format, Object... args) {
    System.err.printf(
        Locale.ROOT,
        "[%6.1f s] %s%n",
        (System.nanoTime() - STARTED) / 1e9,
        String.format(Locale.ROOT, format, args));
  }

  /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
  static String loadAverage() {
    try {
      var fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + ", " + fields[1] + ", " + fields[2];
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** The value at quantile {@code q} of {@code sorted} (nearest rank). */
  static long percentile(long[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }

  /**
   * Texts for a paced phase.
   *
   * @param texts the texts
   * @param cycle whether they may repeat; minilm-head's may not, or its encoder's cache would
   *     answer instead of the model
   */
  record PacedTexts(List<String> texts, boolean cycle) {

    static final PacedTexts NONE = new PacedTexts(List.of(), false);

    /** {@code n} texts, or all there are when they may not repeat. */
    List<String> take(int n) {
      return cycle ? ClassifierBench.cycle(texts, n) : texts.subList(0, Math.min(n, texts.size()));
    }
  }

  /**
   * A trained student, loaded in a holder of its own.
   *
   * @param kind its kind
   * @param trainingSize the LLM labels it was trained on
   * @param trainingMillis how long training took
   * @param holder the holder the classifier reads it from
   */
  record Trained(String kind, int trainingSize, long trainingMillis, ModelHolder holder) {}

  /**
   * When a run's committed offsets first moved and when they covered everything.
   *
   * @param firstNanos when committed offsets were first seen
   * @param firstCount how many texts they covered then
   * @param doneNanos when every text was committed and every output transaction closed
   */
  record Committed(long firstNanos, long firstCount, long doneNanos) {}

  /**
   * One run's times.
   *
   * @param startupNanos from start to the first committed offsets
   * @param totalNanos from start until the backlog's last output was committed
   * @param steadyPerSecond texts/s after the first commit: the texts committed since / the time
   *     since; NaN when the first commit covered everything
   * @param pacedRate texts/s the paced phase reached: the rate asked for, unless the producer fell
   *     behind
   * @param paced texts sent in the paced phase
   * @param endToEndMillis the paced texts' latencies, sorted
   */
  record Timing(
      long startupNanos,
      long totalNanos,
      double steadyPerSecond,
      double pacedRate,
      int paced,
      long[] endToEndMillis) {}

  /**
   * What the classifier did with the texts, from its counters.
   *
   * @param scored texts scored
   * @param uncertain of which flagged uncertain
   * @param toTeacher texts also sent to the teacher: uncertain ones and a sample of the rest
   */
  record Routing(long scored, long uncertain, long toTeacher) {}

  /**
   * One measured run.
   *
   * @param name what ran
   * @param texts the backlog
   * @param timing its times
   * @param scoringMicros the backlog's scoring latencies, sorted; null for the passthrough
   * @param routing where the classifier's texts went; null for the passthrough
   */
  record Result(String name, int texts, Timing timing, long[] scoringMicros, Routing routing) {

    double perSecond() {
      return texts / (timing.totalNanos() / 1e9);
    }
  }
}
