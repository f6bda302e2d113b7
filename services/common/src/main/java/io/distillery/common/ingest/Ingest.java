package io.distillery.common.ingest;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.distillery.common.CommandLines;
import io.distillery.common.KafkaClients;
import io.distillery.common.ToolSettings;
import io.distillery.common.TopicAdmin;
import io.distillery.common.Topics;
import io.distillery.schema.TextEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ./distillery ingest FILE}: sends a JSONL or CSV file to the raw texts topic, with a
 * progress bar on stderr and a summary. Bad rows are reported with their line number and skipped;
 * the rest still goes in.
 */
public final class Ingest {

  /**
   * @param line 1-based line number in the file
   * @param reason why the row was not sent
   */
  public record BadRow(long line, String reason) {}

  /**
   * @param rows rows read
   * @param sent rows acknowledged by the broker
   * @param bad rows rejected, with line numbers
   */
  public record Summary(long rows, long sent, List<BadRow> bad) {}

  private Ingest() {}

  /**
   * Sends every good row of {@code file} to {@code topic}; waits for every acknowledgement before
   * returning.
   */
  public static Summary run(
      Path file, Producer<String, TextEvent> producer, String topic, PrintStream progress)
      throws IOException {
    var parser = new TextEventParser(file.getFileName().toString());
    var bad = new ArrayList<BadRow>();
    var sent = new AtomicLong();
    var sendError = new AtomicReference<Exception>();
    long total = countLines(file);
    var bar = new ProgressBar(progress, total);
    long rows = 0;
    boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    if (csv) {
      try (Reader reader = utf8Reader(file)) {
        MappingIterator<Map<String, String>> it =
            new CsvMapper()
                .readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(reader);
        while (true) {
          long line = it.getCurrentLocation().getLineNr();
          Map<String, String> row;
          try {
            if (!it.hasNextValue()) {
              break;
            }
            row = it.nextValue();
          } catch (RuntimeException e) {
            bad.add(new BadRow(line, "malformed CSV: " + e.getMessage()));
            break;
          }
          rows++;
          send(parser, () -> parser.fromFields(row), line, producer, topic, bad, sent, sendError);
          bar.update(line);
        }
      }
    } else {
      try (BufferedReader reader = utf8Reader(file)) {
        String text;
        long line = 0;
        while ((text = reader.readLine()) != null) {
          line++;
          if (text.isBlank()) {
            continue;
          }
          rows++;
          final String current = text;
          send(
              parser, () -> parser.parseJson(current), line, producer, topic, bad, sent, sendError);
          bar.update(line);
        }
      }
    }
    producer.flush();
    bar.finish();
    if (sendError.get() != null) {
      throw new IOException(
          "the broker refused records: " + sendError.get().getMessage(), sendError.get());
    }
    return new Summary(rows, sent.get(), List.copyOf(bad));
  }

  private interface RowParse {
    TextEvent parse();
  }

  private static void send(
      TextEventParser parser,
      RowParse parse,
      long line,
      Producer<String, TextEvent> producer,
      String topic,
      List<BadRow> bad,
      AtomicLong sent,
      AtomicReference<Exception> sendError) {
    TextEvent event;
    try {
      event = parse.parse();
    } catch (TextEventParser.BadRowException e) {
      bad.add(new BadRow(line, e.getMessage()));
      return;
    }
    producer.send(
        new ProducerRecord<>(topic, event.getId(), event),
        (metadata, error) -> {
          if (error == null) {
            sent.incrementAndGet();
          } else {
            sendError.compareAndSet(null, error);
          }
        });
  }

  /**
   * Reads UTF-8, turning malformed bytes into U+FFFD so the parser reports the row instead of the
   * file failing.
   */
  private static BufferedReader utf8Reader(Path file) throws IOException {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    return new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder));
  }

  private static long countLines(Path file) throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
      return lines.count();
    }
  }

  /** A one-line progress bar, redrawn at most ten times a second. */
  private static final class ProgressBar {
    private final PrintStream out;
    private final long total;
    private long lastDraw;

    ProgressBar(PrintStream out, long total) {
      this.out = out;
      this.total = Math.max(1, total);
    }

    void update(long done) {
      long now = System.nanoTime();
      if (now - lastDraw > 100_000_000L) {
        lastDraw = now;
        draw(done);
      }
    }

    void finish() {
      draw(total);
      out.println();
    }

    private void draw(long done) {
      int width = 30;
      int filled = (int) Math.min(width, done * width / total);
      out.printf(
          "\r[%s%s] %3d%% %d/%d lines",
          "#".repeat(filled), " ".repeat(width - filled), done * 100 / total, done, total);
      out.flush();
    }
  }

  /**
   * The producer's settings: {@link KafkaClients#producer}'s (idempotent, acks=all) with bigger
   * batches and a little longer to fill them, since a file is a burst (IngestBench).
   */
  public static Properties producerSettings(String bootstrapServers) {
    var props = KafkaClients.producer(bootstrapServers);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    return props;
  }

  /** The command line: one file. */
  @Command(
      name = "distillery ingest",
      description =
          "Sends a JSONL or CSV file to the raw texts topic; bad rows are reported and skipped.")
  static final class Arguments {
    @Mixin CommandLines.Help help;

    @Parameters(
        paramLabel = "FILE",
        description = "rows of {\"text\", \"id\", ...}: .jsonl or .csv")
    Path file;
  }

  /**
   * {@code Ingest FILE}: the cluster from {@code KAFKA_BOOTSTRAP_SERVERS} (default 127.0.0.1:9092),
   * the registry from {@code SCHEMA_REGISTRY_URL} (default http://127.0.0.1:8081) and its API from
   * {@code DISTILLERY_REGISTRY_API}, else {@code SCHEMA_REGISTRY_API} (default apicurio), the
   * prefix from {@code DISTILLERY_TOPIC_PREFIX}.
   */
  public static void main(String[] args) throws Exception {
    var file = CommandLines.parseOrExit(new Arguments(), args, System.out, System.err).file;
    if (!Files.isReadable(file)) {
      System.err.println("cannot read " + file);
      System.exit(2);
    }
    var config = ToolSettings.distillery();
    var bootstrap = config.kafka().bootstrapServers();
    var topics = Topics.create(config.topicPrefix(), ToolSettings.serdes(config));
    // Only the topic written: the roles make theirs when they start.
    TopicAdmin.ensureTopics(
        bootstrap,
        topics.newTopics(config.kafka().partitions(), config.kafka().replicationFactor()).stream()
            .filter(t -> t.name().equals(topics.raw().name()))
            .toList(),
        Duration.ofSeconds(60));
    var props = producerSettings(bootstrap);
    try (var producer =
        new KafkaProducer<>(
            props, new StringSerializer(), topics.raw().valueSerde().serializer())) {
      var summary = run(file, producer, topics.raw().name(), System.err);
      for (var row : summary.bad()) {
        System.err.printf("line %d: %s%n", row.line(), row.reason());
      }
      System.out.printf(
          "ingested %d of %d rows from %s into %s (%d bad)%n",
          summary.sent(), summary.rows(), file, topics.raw().name(), summary.bad().size());
      if (summary.sent() == 0 && summary.rows() > 0) {
        System.exit(1);
      }
    }
  }
}
