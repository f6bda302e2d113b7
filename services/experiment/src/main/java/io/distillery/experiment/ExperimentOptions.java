package io.distillery.experiment;

import io.distillery.common.CommandLines;
import io.distillery.labeler.TeacherKind;
import io.distillery.students.bert.PretrainedBert;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code ./distillery experiment} was asked to do.
 *
 * @param data the {@code data.jsonl} file (text, human_label, llm_label, split per line)
 * @param codebook the task's codebook; empty for the {@code meta.json} beside the data, or the
 *     labels alone
 * @param teacher {@code replay}, {@code zero-shot} or {@code openai}
 * @param students student kinds by name; empty for {@link #DEFAULT_STUDENTS} that exist
 * @param noise shares of training labels to flip, each in [0, 1); 0 is the unflipped run
 * @param seeds how many seeds each condition is trained with (seeds 1 … n)
 * @param sizes teacher-label counts of the sample-size curve, besides all of them
 * @param temperature softens (above 1) or sharpens the teacher's distribution for the {@code
 *     transformer-finetune+soft} student
 * @param encoder the shipped encoder the {@code transformer-finetune} students fine-tune ({@code
 *     all-MiniLM-L6-v2} or {@code bge-small-en-v1.5})
 * @param studentUsdPerHour what an hour of one CPU core costs, for the student's side of the cost
 *     table
 * @param latencySeconds seconds per teacher call, for the cost table's time (as {@code ./distillery
 *     estimate} takes it)
 * @param out the directory the report, the JSON and the plots go to
 */
public record ExperimentOptions(
    Path data,
    Optional<Path> codebook,
    String teacher,
    List<String> students,
    List<Double> noise,
    int seeds,
    List<Integer> sizes,
    double temperature,
    String encoder,
    int audit,
    double studentUsdPerHour,
    double latencySeconds,
    Path out) {

  /** The student kinds tried when none is named, those of them a build ships. */
  public static final List<String> DEFAULT_STUDENTS = List.of("hashed-linear", "minilm-head");

  /** The teacher {@code --teacher} names. */
  public TeacherKind teacherKind() {
    return TeacherKind.of(teacher);
  }

  /** The usage text, from the command line's declaration. */
  static final String USAGE = CommandLines.usage(new Arguments());

  /**
   * The command line as picocli reads it; lists stay text here and are split by {@link #list}, so
   * that {@code --sizes ""} asks for no sample-size curve.
   */
  @Command(
      name = "distillery experiment",
      description =
          "Measures the teacher against people and each student kind trained on the teacher's and"
              + " on people's labels; writes report.md, results.json and the plots to --out.")
  static final class Arguments {
    @Mixin CommandLines.Help help;

    @Option(
        names = "--data",
        paramLabel = "FILE.jsonl",
        description =
            "rows of {\"text\", \"human_label\", \"llm_label\" (optional), \"split\":"
                + " \"train\"|\"test\"}")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "where the report goes")
    Path out;

    @Option(
        names = "--teacher",
        defaultValue = "replay",
        description =
            "replay: the recorded llm_label; zero-shot: MiniLM in this process; openai: an"
                + " OpenAI-compatible server (OPENAI_API_KEY, OPENAI_BASE_URL,"
                + " DISTILLERY_TEACHER_MODEL). Default: ${DEFAULT-VALUE}")
    String teacher;

    @Option(
        names = "--students",
        defaultValue = "",
        paramLabel = "KIND,...",
        description =
            "student kinds; default: hashed-linear and minilm-head, those this build has;"
                + " transformer-finetune+soft learns the teacher's distribution (its confidence);"
                + " KIND+corrected is KIND corrected for the teacher's measured errors;"
                + " KIND+audited is KIND trained on what the audit says people would answer")
    String students;

    @Option(
        names = "--noise",
        defaultValue = "0,0.1,0.2,0.3",
        paramLabel = "SHARE,...",
        description = "shares of the training labels flipped at random (default: ${DEFAULT-VALUE})")
    String noise;

    @Option(
        names = "--seeds",
        defaultValue = "5",
        description = "seeds per condition (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(
        names = "--sizes",
        defaultValue = "250,500,1000",
        paramLabel = "N,...",
        description =
            "teacher-label counts for the sample-size curve; all of them is always added"
                + " (default: ${DEFAULT-VALUE})")
    String sizes;

    @Option(
        names = "--codebook",
        paramLabel = "CODEBOOK.yaml",
        description = "labels and definitions; default: meta.json beside the data file")
    Path codebook;

    @Option(
        names = "--temperature",
        defaultValue = "1",
        description =
            "of the teacher's distribution for transformer-finetune+soft (default:"
                + " ${DEFAULT-VALUE})")
    double temperature;

    @Option(
        names = "--encoder",
        defaultValue = "all-MiniLM-L6-v2",
        description =
            "what transformer-finetune fine-tunes: all-MiniLM-L6-v2 (6 layers) or"
                + " bge-small-en-v1.5 (12 layers, about twice as slow). Default: ${DEFAULT-VALUE}")
    String encoder;

    @Option(
        names = "--audit",
        defaultValue = "250",
        description =
            "train texts whose people's labels correct the KIND+corrected and KIND+audited"
                + " students for the"
                + " teacher's measured errors, as the trainer does with the auditor's reviews"
                + " (default: ${DEFAULT-VALUE})")
    int audit;

    @Option(
        names = "--student-usd-per-hour",
        defaultValue = "0.05",
        description =
            "price of one CPU core-hour for the student in the cost table (default:"
                + " ${DEFAULT-VALUE})")
    double studentUsdPerHour;

    @Option(
        names = "--latency-seconds",
        defaultValue = "${env:DISTILLERY_ESTIMATE_LATENCY_SECONDS:-1.0}",
        description =
            "seconds per teacher call in the cost table, as ./distillery estimate takes it"
                + " (default: ${DEFAULT-VALUE})")
    double latencySeconds;
  }

  public ExperimentOptions {
    try {
      TeacherKind.of(teacher);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--teacher: " + e.getMessage());
    }
    if (seeds < 1) {
      throw new UsageException("--seeds must be at least 1, got " + seeds);
    }
    for (double share : noise) {
      if (!(share >= 0 && share < 1)) {
        throw new UsageException("--noise: every share must be in [0, 1), got " + share);
      }
    }
    for (int size : sizes) {
      if (size < 1) {
        throw new UsageException("--sizes: every size must be positive, got " + size);
      }
    }
    if (PretrainedBert.find(encoder).isEmpty()) {
      throw new UsageException(
          "--encoder: no shipped encoder '"
              + encoder
              + "' (shipped: "
              + PretrainedBert.SHIPPED.stream().map(PretrainedBert::modelName).toList()
              + ")");
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new UsageException("--temperature must be a positive number, got " + temperature);
    }
    if (!(studentUsdPerHour >= 0)) {
      throw new UsageException("--student-usd-per-hour must not be negative");
    }
    if (!(latencySeconds > 0) || Double.isInfinite(latencySeconds)) {
      throw new UsageException(
          "--latency-seconds must be a positive number, got " + latencySeconds);
    }
    if (audit < 1) {
      throw new UsageException("--audit must be at least 1, got " + audit);
    }
    students = List.copyOf(students);
    noise = noise.stream().distinct().sorted().toList();
    sizes = sizes.stream().distinct().sorted().toList();
  }

  /** Wrong arguments: the message says which, and the usage follows. */
  public static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  /**
   * Reads the command line.
   *
   * @return empty when {@code --help} was asked for
   * @throws UsageException saying what is wrong
   */
  public static Optional<ExperimentOptions> parseOrHelp(String... args) {
    Optional<Arguments> parsed;
    try {
      parsed = CommandLines.parse(new Arguments(), args);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    var a = parsed.get();
    if (a.data == null || a.out == null) {
      throw new UsageException("--data and --out are required");
    }
    return Optional.of(
        new ExperimentOptions(
            a.data,
            Optional.ofNullable(a.codebook),
            a.teacher,
            list(a.students),
            numbers("--noise", a.noise, Double::parseDouble),
            a.seeds,
            numbers("--sizes", a.sizes, Integer::parseInt),
            a.temperature,
            a.encoder,
            a.audit,
            a.studentUsdPerHour,
            a.latencySeconds,
            a.out));
  }

  /** Reads a command line that does not ask for help. */
  public static ExperimentOptions parse(String... args) {
    return parseOrHelp(args).orElseThrow(() -> new UsageException("--help is not an experiment"));
  }

  private static <T> List<T> numbers(
      String flag, String value, java.util.function.Function<String, T> parse) {
    try {
      return list(value).stream().map(parse).toList();
    } catch (NumberFormatException e) {
      throw new UsageException(flag + ": not a number: " + value);
    }
  }

  /** The seeds each condition is trained with: 1 … {@link #seeds}. */
  public List<Long> seedList() {
    var list = new ArrayList<Long>();
    for (long s = 1; s <= seeds; s++) {
      list.add(s);
    }
    return list;
  }

  private static List<String> list(String value) {
    return java.util.Arrays.stream(value.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
