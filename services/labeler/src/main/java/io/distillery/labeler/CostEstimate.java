package io.distillery.labeler;

import io.distillery.common.Codebook;
import io.distillery.common.CommandLines;
import io.distillery.common.ToolSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What labeling a file with an LLM teacher would cost and take, before anyone spends money: tokens
 * from the codebook and the texts (about four characters a token), dollars from the price per
 * million tokens, hours from the calls in flight and their latency. Also the paper's comparison:
 * the teacher for everything against the teacher for a sample and the student for the rest.
 */
public final class CostEstimate {

  /** Characters per token, the usual rule of thumb for English with GPT tokenizers. */
  static final double CHARS_PER_TOKEN = 4.0;

  /** Completion tokens of one answer: a small JSON object with the label. */
  static final int ANSWER_TOKENS = 12;

  /**
   * How a teacher would be run.
   *
   * @param inputPrice US dollars per million prompt tokens
   * @param outputPrice US dollars per million completion tokens
   * @param samples answers drawn per text (self-consistency)
   * @param batchSize texts per call
   * @param inFlight calls in flight
   * @param latencySeconds seconds per call
   */
  public record Settings(
      double inputPrice,
      double outputPrice,
      int samples,
      int batchSize,
      int inFlight,
      double latencySeconds) {}

  /**
   * The estimate for {@code texts} texts.
   *
   * @param texts texts to label
   * @param promptTokens prompt tokens in all
   * @param completionTokens completion tokens in all
   * @param costUsd dollars in all
   * @param hours wall time at the given concurrency and latency
   */
  public record Estimate(
      long texts, double promptTokens, double completionTokens, double costUsd, double hours) {

    /** The same run scaled to {@code n} texts of the same mean length. */
    public Estimate scaledTo(long n) {
      double f = texts == 0 ? 0 : (double) n / texts;
      return new Estimate(n, promptTokens * f, completionTokens * f, costUsd * f, hours * f);
    }
  }

  private CostEstimate() {}

  /** Estimates labeling {@code texts} under {@code codebook}. */
  public static Estimate estimate(Codebook codebook, List<String> texts, Settings settings) {
    double instructions = promptChars(codebook) / CHARS_PER_TOKEN;
    double textTokens = 0;
    for (var text : texts) {
      textTokens += text.length() / CHARS_PER_TOKEN + 10;
    }
    long calls = (texts.size() + settings.batchSize() - 1) / Math.max(1, settings.batchSize());
    // Self-consistency samples come from one call (the n parameter): the prompt is paid once.
    double prompt = calls * instructions + textTokens;
    double completion = (double) texts.size() * ANSWER_TOKENS * settings.samples();
    double cost = (prompt * settings.inputPrice() + completion * settings.outputPrice()) / 1e6;
    double hours = calls * settings.latencySeconds() / Math.max(1, settings.inFlight()) / 3600;
    return new Estimate(texts.size(), prompt, completion, cost, hours);
  }

  private static int promptChars(Codebook codebook) {
    int chars = codebook.description().length() + codebook.instructions().length() + 400;
    for (var label : codebook.labels()) {
      chars += label.name().length() + label.definition().length() + 4;
    }
    for (var example : codebook.examples()) {
      chars += example.text().length() + example.label().length() + 20;
    }
    return chars;
  }

  /** Prints the estimate and the comparison table. */
  public static void print(Estimate e, Settings settings, double sampleShare, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%d texts: about %.0f prompt + %.0f completion tokens, $%.2f, %.1f h at %d calls in flight"
            + " and %.1f s per call%n%n",
        e.texts(),
        e.promptTokens(),
        e.completionTokens(),
        e.costUsd(),
        e.hours(),
        settings.inFlight(),
        settings.latencySeconds());
    out.printf(
        Locale.ROOT,
        "| texts | teacher for all | teacher for %.0f %% + student | saved |%n|---|---|---|---|%n",
        sampleShare * 100);
    for (long n : new long[] {e.texts(), 10_000, 1_000_000, 6_200_000}) {
      var all = e.scaledTo(n);
      double sample = all.costUsd() * sampleShare;
      out.printf(
          Locale.ROOT,
          "| %,d | $%,.2f (%.1f h) | $%,.2f | $%,.2f |%n",
          n,
          all.costUsd(),
          all.hours(),
          sample,
          all.costUsd() - sample);
    }
  }

  /** The command line; the teacher's samples, batch size and concurrency are its settings. */
  @Command(
      name = "distillery estimate",
      description =
          "What labelling a file with the teacher would cost, at this and larger sizes, from its"
              + " texts' token counts.")
  static final class Arguments {
    @Mixin CommandLines.Help help;

    @Parameters(index = "0", paramLabel = "FILE", description = "a JSONL or CSV file of texts")
    Path file;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "CODEBOOK",
        description = "the codebook (default: distillery.codebook)")
    Path codebook;

    @Option(
        names = "--input-price",
        defaultValue = "${env:DISTILLERY_ESTIMATE_INPUT_PRICE}",
        description =
            "USD per million prompt tokens (default: the price of distillery.teacher.model in"
                + " distillery.teacher.prices)")
    Double inputPrice;

    @Option(
        names = "--output-price",
        defaultValue = "${env:DISTILLERY_ESTIMATE_OUTPUT_PRICE}",
        description = "USD per million answer tokens (default: as --input-price)")
    Double outputPrice;

    /**
     * The prices asked for, else the teacher model's from its price table.
     *
     * @throws IllegalArgumentException when neither names one
     */
    double[] prices(TeacherConfig teacher) {
      var listed = teacher.prices() == null ? null : teacher.prices().get(teacher.model());
      if ((inputPrice == null || outputPrice == null) && listed == null) {
        throw new IllegalArgumentException(
            "no price for the teacher model '"
                + teacher.model()
                + "' in distillery.teacher.prices: give --input-price and --output-price");
      }
      return new double[] {
        inputPrice != null ? inputPrice : listed.input(),
        outputPrice != null ? outputPrice : listed.output()
      };
    }

    @Option(
        names = "--latency-seconds",
        defaultValue = "${env:DISTILLERY_ESTIMATE_LATENCY_SECONDS:-1.0}",
        description = "seconds per teacher call (default: ${DEFAULT-VALUE})")
    double latencySeconds;

    @Option(
        names = "--sample-share",
        defaultValue = "${env:DISTILLERY_ESTIMATE_SAMPLE_SHARE:-0.1}",
        description =
            "share of the stream the teacher labels once a student serves (default:"
                + " ${DEFAULT-VALUE})")
    double sampleShare;
  }

  /**
   * {@code CostEstimate FILE [CODEBOOK]}: prices, latency and share as options (or {@code
   * DISTILLERY_ESTIMATE_*} in the environment), the prices by default the teacher model's from its
   * price table; model, samples, batch size and concurrency from the teacher's settings ({@code
   * DISTILLERY_TEACHER_MODEL}, {@code ..._SAMPLES}, {@code ..._BATCH_SIZE}, {@code
   * ..._MAX_IN_FLIGHT}).
   */
  public static void main(String[] args) throws IOException {
    var arguments = CommandLines.parseOrExit(new Arguments(), args, System.out, System.err);
    var codebook =
        Codebook.load(
            arguments.codebook != null
                ? arguments.codebook
                : Path.of(ToolSettings.distillery().codebook()));
    var texts = readTexts(arguments.file);
    var teacher = TeacherSettings.load();
    double[] prices;
    try {
      prices = arguments.prices(teacher);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    var settings =
        new Settings(
            prices[0],
            prices[1],
            teacher.samples(),
            teacher.batchSize(),
            teacher.maxInFlight(),
            arguments.latencySeconds);
    print(estimate(codebook, texts, settings), settings, arguments.sampleShare, System.out);
  }

  /**
   * The texts of a JSONL or CSV file, read with the ingest parser so bad rows are skipped alike.
   */
  static List<String> readTexts(Path file) throws IOException {
    var parser = new io.distillery.common.ingest.TextEventParser(file.getFileName().toString());
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
      try (var reader = Files.newBufferedReader(file)) {
        List<java.util.Map<String, String>> rows =
            new com.fasterxml.jackson.dataformat.csv.CsvMapper()
                .readerForMapOf(String.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader())
                .<java.util.Map<String, String>>readValues(reader)
                .readAll();
        return rows.stream()
            .map(row -> row.getOrDefault("text", ""))
            .filter(t -> !t.isBlank())
            .toList();
      }
    }
    try (var lines = Files.lines(file)) {
      return lines
          .filter(l -> !l.isBlank())
          .map(
              l -> {
                try {
                  return parser.parseJson(l).getText();
                } catch (RuntimeException e) {
                  return "";
                }
              })
          .filter(t -> !t.isBlank())
          .toList();
    }
  }
}
