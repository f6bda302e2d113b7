package io.distillery.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.AvroSerdes;
import io.distillery.common.KafkaClients;
import io.distillery.common.TopicAdmin;
import io.distillery.common.Topics;
import io.distillery.common.ingest.Ingest;
import io.distillery.devcluster.EmbeddedKafka;
import io.distillery.devcluster.SchemaRegistryProcess;
import io.distillery.students.DjlEnvironment;
import io.distillery.students.LabelledDataset;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogManager;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./distillery ingest} at scale: a JSONL file of {@code -Dbench.rows} (default 44,373, the
 * tweet count of the speed issue) tweet-length rows, built from tweet-emoji's texts with their own
 * ids, sent to a fresh raw topic on an embedded broker through the packaged registry. Two ways,
 * side by side: {@code Ingest.run} in this JVM (the sending itself, twice: the first pays for class
 * loading and the JIT), and the command as a user runs it, {@code java ... Ingest FILE} in a child
 * JVM from its start to its exit (start-up, the check of the topics the app made, and the registry
 * included). Rows/s and MB/s of the file; every run checks that the topic then holds exactly the
 * file's rows.
 */
public final class IngestBench {

  static final String COMMAND =
      "./mvnw -B -q install -pl bench,deploy/schema-registry -am -DskipTests && java -cp"
          + " \"bench/target/distillery-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)\""
          + " io.distillery.bench.IngestBench";

  private static final java.util.logging.Logger ROOT_LOG = LogManager.getLogManager().getLogger("");
  private static final ObjectMapper JSON = new ObjectMapper();

  private IngestBench() {}

  public static void main(String[] args) throws Exception {
    DjlEnvironment.offline();
    ROOT_LOG.setLevel(Level.WARNING);
    var datasets = Path.of(System.getProperty("distillery.datasets", "../shared/datasets"));
    var registryJar =
        Path.of(
            System.getProperty(
                "distillery.registry.jar",
                "deploy/schema-registry/target/quarkus-app/quarkus-run.jar"));
    int rows = Integer.getInteger("bench.rows", 44_373);
    var texts =
        LabelledDataset.read(datasets.resolve("tweet-emoji").resolve("data.jsonl")).stream()
            .map(LabelledDataset.Row::text)
            .toList();
    var work = Files.createTempDirectory("distillery-ingest-bench");
    var file = work.resolve("tweets.jsonl");
    try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < rows; i++) {
        var row = new LinkedHashMap<String, Object>();
        row.put("id", "tweet-" + i);
        row.put("text", texts.get(i % texts.size()));
        row.put("source", "bench");
        out.write(JSON.writeValueAsString(row));
        out.write('\n');
      }
    }
    double mb = Files.size(file) / 1e6;
    var results = new ArrayList<String>();
    try (var kafka = EmbeddedKafka.start(work.resolve("kafka"), 0);
        var registry = SchemaRegistryProcess.start(registryJar, work.resolve("registry.log"))) {
      for (var run : List.of("in this JVM, first run", "in this JVM, second run")) {
        var topics = Topics.create("ingest" + results.size(), new AvroSerdes(registry.url()));
        TopicAdmin.ensureTopics(
            kafka.bootstrapServers(), topics.newTopics(3, (short) 1), Duration.ofSeconds(60));
        long start = System.nanoTime();
        Ingest.Summary summary;
        try (var producer =
            new KafkaProducer<>(
                Ingest.producerSettings(kafka.bootstrapServers()),
                new StringSerializer(),
                topics.raw().valueSerde().serializer())) {
          summary =
              Ingest.run(
                  file,
                  producer,
                  topics.raw().name(),
                  new PrintStream(java.io.OutputStream.nullOutputStream()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        check(summary.sent() == rows && summary.bad().isEmpty(), run + ": " + summary);
        check(count(kafka.bootstrapServers(), topics.raw().name()) == rows, run + ": topic count");
        results.add(row(run, rows, mb, seconds));
      }
      var home = work.resolve("home");
      var launcher = Path.of(System.getProperty("distillery.home", ".")).resolve("distillery");
      var runs =
          List.of(
              List.of("`java -cp ... Ingest FILE`, the JVM's defaults"),
              List.of("`./distillery ingest FILE`, first run (makes its class-data archive)"),
              List.of("`./distillery ingest FILE`, next run"));
      for (int i = 0; i < runs.size(); i++) {
        var prefix = "ingestcli" + i;
        // As after `./distillery up`: the app has made the topics; the command checks them.
        TopicAdmin.ensureTopics(
            kafka.bootstrapServers(),
            Topics.create(prefix, new AvroSerdes(registry.url())).newTopics(3, (short) 1),
            Duration.ofSeconds(60));
        var command =
            i == 0
                ? List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Ingest.class.getName(),
                    file.toString())
                : List.of(launcher.toString(), "ingest", file.toString());
        var builder =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("cli.log").toFile());
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        builder.environment().put("SCHEMA_REGISTRY_URL", registry.url());
        builder.environment().put("DISTILLERY_TOPIC_PREFIX", prefix);
        builder.environment().put("DISTILLERY_HOME", home.toString());
        long start = System.nanoTime();
        int exit = builder.start().waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        check(
            exit == 0,
            "the command exited with " + exit + ": " + Files.readString(work.resolve("cli.log")));
        var raw = Topics.create(prefix, new AvroSerdes(registry.url())).raw().name();
        check(count(kafka.bootstrapServers(), raw) == rows, runs.get(i).get(0) + ": topic count");
        results.add(row(runs.get(i).get(0) + ", start to exit", rows, mb, seconds));
        if (Boolean.getBoolean("bench.show-cli-log")) {
          System.err.println(Files.readString(work.resolve("cli.log")));
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "## Ingest: a JSONL file into the raw topic%n%n- Command: `%s`%n- File: %,d rows, %.1f MB"
            + " (tweet-emoji's texts, cycled, each with its own id)%n- Cluster: one embedded KRaft"
            + " broker in this JVM, the packaged schema registry in a child JVM, 3 partitions;"
            + " the producer settings of `Ingest.producerSettings` (idempotent, acks=all, batches of 256 KB,"
            + " linger 20 ms)%n"
            + "- Cores: %d%n%n| run | rows | s | rows/s | MB/s |%n|---|---:|---:|---:|---:|%n",
        COMMAND,
        rows,
        mb,
        Runtime.getRuntime().availableProcessors());
    results.forEach(System.out::println);
  }

  private static String row(String run, int rows, double mb, double seconds) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.2f | %.0f | %.1f |",
        run,
        rows,
        seconds,
        rows / seconds,
        mb / seconds);
  }

  private static long count(String bootstrap, String topic) {
    try (var consumer =
        new KafkaConsumer<byte[], byte[]>(KafkaClients.stateReader(bootstrap, "ingest-bench"))) {
      var partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("ingest bench: " + what);
    }
  }
}
