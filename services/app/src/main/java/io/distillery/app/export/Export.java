package io.distillery.app.export;

import io.distillery.common.Codebook;
import io.distillery.common.RegistrySerdes;
import io.distillery.common.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code ./distillery export --task TASK --out DIR [--format jsonl|csv]}: every text of a task with
 * its teacher label (model, prompt version, confidence, consistency), its latest student label with
 * probabilities and model version, and people's labels, in {@code DIR/texts.jsonl} or {@code
 * DIR/texts.csv}; and {@code DIR/audit.md} ({@link AuditReport}). Read from the topics with a
 * read-committed consumer without a group, so it runs while the app runs and when it does not. The
 * cluster and registry come from the same variables as {@code ./distillery ingest}.
 */
public final class Export {

  /**
   * @param task the task
   * @param out the directory written
   * @param format the rows' format
   */
  public record Settings(String task, Path out, RowWriter.Format format) {

    public static Settings parse(String... args) {
      String task = null;
      Path out = null;
      var format = RowWriter.Format.JSONL;
      for (int i = 0; i < args.length; i++) {
        var value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--task" -> task = required("--task", value);
          case "--out" -> out = Path.of(required("--out", value));
          case "--format" -> format = RowWriter.Format.parse(required("--format", value));
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
        i++;
      }
      if (task == null || out == null) {
        throw new IllegalArgumentException("--task and --out are required");
      }
      return new Settings(task, out, format);
    }

    private static String required(String name, String value) {
      if (value == null || value.startsWith("--")) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return value;
    }
  }

  /**
   * What was written.
   *
   * @param rows rows written
   * @param rowsFile the rows' file
   * @param audit the audit file
   * @param unreadable records of the topics that could not be read (passed over)
   */
  public record Written(long rows, Path rowsFile, Path audit, long unreadable) {}

  private Export() {}

  /** Reads the topics and writes the export. */
  public static Written run(
      Settings settings,
      String bootstrapServers,
      Topics topics,
      Codebook codebook,
      Double sampleRate,
      PrintStream progress)
      throws IOException {
    var data = new ExportData(settings.task());
    var dump = new TopicDump(bootstrapServers, progress);
    progress.println("reading the topics");
    long unreadable = 0;
    unreadable += dump.read(topics.labeled(), data::labeled);
    unreadable += dump.read(topics.scored(), data::scored);
    unreadable += dump.read(topics.reviewRequests(), data::requested);
    unreadable += dump.read(topics.reviewVerdicts(), data::verdict);
    unreadable += dump.read(topics.qualityReports(), data::report);
    unreadable += dump.read(topics.models(), data::model);
    Files.createDirectories(settings.out());
    var rows = data.rows();
    var rowsFile = settings.out().resolve(settings.format().fileName);
    try (var writer = Files.newBufferedWriter(rowsFile, StandardCharsets.UTF_8)) {
      RowWriter.write(settings.format(), rows, writer);
    }
    var audit = settings.out().resolve("audit.md");
    Files.writeString(
        audit,
        AuditReport.markdown(data, codebook, sampleRate, Instant.now()),
        StandardCharsets.UTF_8);
    return new Written(rows.size(), rowsFile, audit, unreadable);
  }

  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("export: " + e.getMessage());
      System.err.println("usage: distillery export --task TASK --out DIR [--format jsonl|csv]");
      System.exit(2);
      return;
    }
    var env = System.getenv();
    var bootstrap = env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    var topics =
        Topics.create(
            env.getOrDefault("DISTILLERY_TOPIC_PREFIX", "distillery"),
            RegistrySerdes.fromEnvironment(env));
    Codebook codebook = null;
    var codebookFile = Path.of(env.getOrDefault("DISTILLERY_CODEBOOK", "examples/codebook.yaml"));
    if (Files.isReadable(codebookFile)) {
      codebook = Codebook.load(codebookFile);
    }
    var rate = env.get("DISTILLERY_AUDITOR_SAMPLE_RATE");
    var written =
        run(
            settings,
            bootstrap,
            topics,
            codebook,
            rate == null || rate.isBlank() ? null : Double.valueOf(rate),
            System.err);
    System.out.printf(
        "exported %d texts of task %s to %s and %s%s%n",
        written.rows(),
        settings.task(),
        written.rowsFile(),
        written.audit(),
        written.unreadable() == 0
            ? ""
            : " (" + written.unreadable() + " unreadable records passed over)");
  }
}
