package io.distillery.experiment;

import io.distillery.students.TransformerSettings;
import io.distillery.students.bert.PretrainedBert;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
    Path out) {

  /** The student kinds tried when none is named, those of them a build ships. */
  public static final List<String> DEFAULT_STUDENTS = List.of("hashed-linear", "minilm-head");

  /** The teachers the command knows. */
  public static final List<String> TEACHERS = List.of("replay", "zero-shot", "openai");

  static final String USAGE =
      """
      usage: distillery experiment --data FILE.jsonl --out DIR [--teacher replay|zero-shot|openai]
                                   [--students hashed-linear,minilm-head] [--noise 0,0.1,0.2,0.3]
                                   [--seeds 5] [--sizes 250,500,1000] [--codebook CODEBOOK.yaml]
                                   [--temperature 1] [--encoder all-MiniLM-L6-v2] [--audit 250]
                                   [--student-usd-per-hour 0.05]
        --data      rows of {"text", "human_label", "llm_label" (optional), "split": "train"|"test"}
        --teacher   replay: the recorded llm_label; zero-shot: MiniLM in this process; openai: an
                    OpenAI-compatible server (OPENAI_API_KEY, OPENAI_BASE_URL, DISTILLERY_TEACHER_MODEL)
        --students  student kinds; default: hashed-linear and minilm-head, those this build has;
                    transformer-finetune+soft learns the teacher's distribution (its confidence)
        --noise     shares of the training labels flipped at random, for the noise curve
        --seeds     seeds per condition (intervals over seeds)
        --sizes     teacher-label counts for the sample-size curve (all of them is always added)
        --temperature  of the teacher's distribution for transformer-finetune+soft
        --encoder   what transformer-finetune fine-tunes: all-MiniLM-L6-v2 (6 layers) or
                    bge-small-en-v1.5 (12 layers, about twice as slow)
        --audit     train texts whose people's labels correct the students named KIND+corrected
                    for the teacher's measured errors (as the trainer does with the auditor's reviews)
        --codebook  labels and definitions; default: meta.json beside the data file
        --student-usd-per-hour  price of one CPU core-hour for the student in the cost table
      """;

  public ExperimentOptions {
    if (!TEACHERS.contains(teacher)) {
      throw new UsageException(
          "--teacher: unknown teacher '" + teacher + "' (known: " + TEACHERS + ")");
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

  /** Reads the command line. */
  public static ExperimentOptions parse(String... args) {
    Path data = null;
    Path out = null;
    Optional<Path> codebook = Optional.empty();
    String teacher = "replay";
    List<String> students = List.of();
    List<Double> noise = List.of(0.0, 0.1, 0.2, 0.3);
    int seeds = 5;
    List<Integer> sizes = List.of(250, 500, 1000);
    double temperature = 1.0;
    String encoder = TransformerSettings.DEFAULT.pretrained();
    int audit = 250;
    double studentUsdPerHour = 0.05;
    for (int i = 0; i < args.length; i++) {
      var flag = args[i];
      if (i + 1 >= args.length) {
        throw new UsageException(flag + " needs a value");
      }
      var value = args[++i];
      try {
        switch (flag) {
          case "--data" -> data = Path.of(value);
          case "--out" -> out = Path.of(value);
          case "--codebook" -> codebook = Optional.of(Path.of(value));
          case "--teacher" -> teacher = value;
          case "--students" -> students = list(value);
          case "--noise" -> noise = list(value).stream().map(Double::parseDouble).toList();
          case "--seeds" -> seeds = Integer.parseInt(value);
          case "--sizes" -> sizes = list(value).stream().map(Integer::parseInt).toList();
          case "--temperature" -> temperature = Double.parseDouble(value);
          case "--encoder" -> encoder = value;
          case "--audit" -> audit = Integer.parseInt(value);
          case "--student-usd-per-hour" -> studentUsdPerHour = Double.parseDouble(value);
          default -> throw new UsageException("unknown option " + flag);
        }
      } catch (NumberFormatException e) {
        throw new UsageException(flag + ": not a number: " + value);
      }
    }
    if (data == null || out == null) {
      throw new UsageException("--data and --out are required");
    }
    return new ExperimentOptions(
        data,
        codebook,
        teacher,
        students,
        noise,
        seeds,
        sizes,
        temperature,
        encoder,
        audit,
        studentUsdPerHour,
        out);
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
