package io.distillery.app.export;

import io.distillery.auditor.AuditorConfig;
import io.distillery.common.Codebook;
import io.distillery.common.CommandLines;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.ToolSettings;
import io.distillery.common.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    /**
     * Reads the command line.
     *
     * @return empty when {@code --help} was asked for
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Optional<Settings> parse(String... args) {
      return CommandLines.parse(new Arguments(), args)
          .map(a -> new Settings(a.task, a.out, RowWriter.Format.parse(a.format)));
    }
  }

  /** The command line. */
  @Command(
      name = "distillery export",
      description =
          "Writes every text of a task with its teacher label, student score, reviews and the"
              + " model that scored it, and audit.md, into a directory.")
  static final class Arguments {
    @Mixin CommandLines.Help help;

    @Option(names = "--task", required = true, description = "the task")
    String task;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "written into")
    Path out;

    @Option(
        names = "--format",
        defaultValue = "jsonl",
        paramLabel = "jsonl|csv",
        description = "the rows' format (default: ${DEFAULT-VALUE})")
    String format;
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

  /**
   * {@code Export --task TASK --out DIR [--format jsonl|csv]}: the cluster, registry, prefix and
   * codebook as every tool reads them ({@link ToolSettings}), the auditor's sample rate from its
   * settings.
   */
  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      var parsed = Settings.parse(args);
      if (parsed.isEmpty()) {
        System.out.print(CommandLines.usage(new Arguments()));
        return;
      }
      settings = parsed.get();
    } catch (IllegalArgumentException e) {
      System.err.println("export: " + e.getMessage());
      System.err.print(CommandLines.usage(new Arguments()));
      System.exit(2);
      return;
    }
    var config = ToolSettings.load(AuditorConfig.class);
    var common = config.getConfigMapping(DistilleryConfig.class);
    var bootstrap = common.kafka().bootstrapServers();
    var topics = Topics.create(common.topicPrefix(), ToolSettings.serdes(common));
    Codebook codebook = null;
    var codebookFile = Path.of(common.codebook());
    if (Files.isReadable(codebookFile)) {
      codebook = Codebook.load(codebookFile);
    }
    double rate = config.getConfigMapping(AuditorConfig.class).sampleRate();
    var written = run(settings, bootstrap, topics, codebook, rate, System.err);
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
