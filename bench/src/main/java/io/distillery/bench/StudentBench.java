package io.distillery.bench;

import io.distillery.students.LabeledExample;
import io.distillery.students.LabelledDataset;
import io.distillery.students.Metrics;
import io.distillery.students.StudentKind;
import io.distillery.students.StudentKinds;
import io.distillery.students.TrainingProgress;
import io.distillery.students.TransformerFinetuneKind;
import io.distillery.students.TransformerSettings;
import io.distillery.students.TransformerStudent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The students side by side, in one run: for each kind, training time and examples/s at 1k and 10k
 * teacher labels on this machine's CPU (or GPU, when DJL sees one), and macro-F1 on the human test
 * labels of movie-review-polarity and global-warming-stance when trained on the LLM's labels versus
 * on people's. Prints a Markdown report; asserts nothing.
 *
 * <p>Kinds: every built-in one (the transformer only with {@code -Dbench.transformer-encoder=DIR},
 * a user's exported encoder), or those named in {@code -Dbench.kinds=a,b}. The 10k set repeats
 * movie-review-polarity's 8,278 training texts cyclically up to 10,000: it measures speed only.
 */
public final class StudentBench {

  private static final List<String> DATASETS =
      List.of("movie-review-polarity", "global-warming-stance");
  private static final long SEED = 42;

  private record Speed(String kind, int examples, long millis) {
    double perSecond() {
      return examples * 1000.0 / Math.max(1, millis);
    }
  }

  private record Quality(
      String kind, String dataset, int trainSize, double llmF1, double humanF1) {}

  private StudentBench() {}

  public static void main(String[] args) throws Exception {
    var root = Path.of(System.getProperty("distillery.datasets", "../shared/datasets"));
    var kinds = kinds();
    var movies = LabelledDataset.read(root.resolve("movie-review-polarity").resolve("data.jsonl"));
    var movieTrain = train(movies, LabelledDataset.Row::llmLabel);
    var movieLabels = labels(movies);

    var speeds = new ArrayList<Speed>();
    var qualities = new ArrayList<Quality>();
    for (var kind : kinds) {
      // Warms the JIT and the engine up; not counted.
      kind.train(cycle(movieTrain, 200), movieLabels, SEED, TrainingProgress.NONE);
      for (int size : new int[] {1_000, 10_000}) {
        var trained = kind.train(cycle(movieTrain, size), movieLabels, SEED, TrainingProgress.NONE);
        speeds.add(new Speed(kind.name(), size, trained.trainingMillis()));
        System.err.printf(
            Locale.ROOT, "%s: %d labels in %d ms%n", kind.name(), size, trained.trainingMillis());
      }
      for (var dataset : DATASETS) {
        var rows = LabelledDataset.read(root.resolve(dataset).resolve("data.jsonl"));
        var labels = labels(rows);
        var test = rows.stream().filter(r -> r.split().equals("test")).toList();
        var fromLlm = train(rows, LabelledDataset.Row::llmLabel);
        var fromHuman = train(rows, LabelledDataset.Row::humanLabel);
        qualities.add(
            new Quality(
                kind.name(),
                dataset,
                fromLlm.size(),
                f1(kind, fromLlm, labels, test),
                f1(kind, fromHuman, labels, test)));
        System.err.printf(Locale.ROOT, "%s: %s done%n", kind.name(), dataset);
      }
    }
    report(speeds, qualities);
  }

  private static List<StudentKind> kinds() {
    var all = StudentKinds.builtIn();
    var encoder = System.getProperty("bench.transformer-encoder");
    var defaults =
        all.names().stream()
            // A transformer needs a user's pretrained encoder; none ships, none can be downloaded.
            .filter(n -> encoder != null || !n.equals(TransformerStudent.KIND))
            .toList();
    var names = System.getProperty("bench.kinds", String.join(",", defaults));
    var out = new ArrayList<StudentKind>();
    for (var name : names.split(",")) {
      out.add(
          name.strip().equals(TransformerStudent.KIND) && encoder != null
              ? new TransformerFinetuneKind(
                  TransformerSettings.DEFAULT.withEncoder(Path.of(encoder)))
              : all.forName(name.strip()));
    }
    return out;
  }

  private static List<LabeledExample> train(
      List<LabelledDataset.Row> rows, Function<LabelledDataset.Row, String> label) {
    return rows.stream()
        .filter(r -> r.split().equals("train") && label.apply(r) != null)
        .map(r -> new LabeledExample(r.text(), label.apply(r)))
        .toList();
  }

  private static List<String> labels(List<LabelledDataset.Row> rows) {
    return rows.stream().map(LabelledDataset.Row::humanLabel).distinct().sorted().toList();
  }

  private static List<LabeledExample> cycle(List<LabeledExample> examples, int size) {
    var out = new ArrayList<LabeledExample>(size);
    for (int i = 0; i < size; i++) {
      out.add(examples.get(i % examples.size()));
    }
    return out;
  }

  private static double f1(
      StudentKind kind,
      List<LabeledExample> training,
      List<String> labels,
      List<LabelledDataset.Row> test)
      throws IOException {
    var student = kind.train(training, labels, SEED, TrainingProgress.NONE).student();
    var predicted = test.stream().map(r -> student.predict(r.text()).label()).toList();
    return Metrics.compare(
            labels, predicted, test.stream().map(LabelledDataset.Row::humanLabel).toList())
        .macroF1();
  }

  private static void report(List<Speed> speeds, List<Quality> qualities) {
    var out = new StringBuilder();
    out.append("## Students: training speed (").append(device()).append(")\n\n");
    out.append(
        "| kind | labels | training s | examples/s | time 10k / 1k |\n|---|---|---|---|---|\n");
    for (var s : speeds) {
      var small =
          speeds.stream()
              .filter(o -> o.kind().equals(s.kind()) && o.examples() == 1_000)
              .findFirst()
              .orElseThrow();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f | %.0f | %s |%n",
              s.kind(),
              s.examples(),
              s.millis() / 1000.0,
              s.perSecond(),
              s.examples() == 1_000
                  ? "1.00"
                  : String.format(Locale.ROOT, "%.2f", (double) s.millis() / small.millis())));
    }
    out.append(
        "\n## Students: macro-F1 on the human test labels, trained on LLM vs human labels\n\n");
    out.append(
        "| kind | dataset | train texts | LLM-label student | human-label student | gap |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (var q : qualities) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.3f | %.3f | %+.3f |%n",
              q.kind(),
              q.dataset(),
              q.trainSize(),
              q.llmF1(),
              q.humanF1(),
              q.humanF1() - q.llmF1()));
    }
    System.out.print(out);
  }

  private static String device() {
    return io.distillery.students.Devices.choose().describe();
  }
}
