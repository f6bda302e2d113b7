package io.distillery.bench;

import io.distillery.students.DjlEnvironment;
import io.distillery.students.LabeledExample;
import io.distillery.students.LabelledDataset;
import io.distillery.students.Metrics;
import io.distillery.students.ModelStore;
import io.distillery.students.Pooling;
import io.distillery.students.SoftTargets;
import io.distillery.students.Student;
import io.distillery.students.StudentKinds;
import io.distillery.students.TrainingProgress;
import io.distillery.students.TransformerFinetuneKind;
import io.distillery.students.TransformerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code transformer-finetune} student with its defaults on one dataset: fine-tunes the shipped
 * all-MiniLM-L6-v2 on {@code -Dbench.labels=N} (default 2,000) of the recorded LLM's labels, taken
 * at even steps through the train split, and prints the training time, the macro-F1 against people
 * on the test split (or the LLM's, where a test split has no LLM labels: the teacher is then
 * measured on the train texts not trained on), and the scoring speed of the saved model as the
 * classifier loads it (ONNX Runtime), one text at a time.
 */
public final class FinetuneBench {

  static final String COMMAND =
      "./mvnw -B -q install -pl bench -am -DskipTests && java -Dbench.dataset=%s"
          + " -Dbench.labels=%d%s -cp"
          + " \"bench/target/distillery-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)\""
          + " io.distillery.bench.FinetuneBench";

  private FinetuneBench() {}

  public static void main(String[] args) throws Exception {
    DjlEnvironment.offline();
    var datasets = Path.of(System.getProperty("distillery.datasets", "../shared/datasets"));
    var dataset = System.getProperty("bench.dataset", "movie-review-polarity");
    int n = Integer.getInteger("bench.labels", 2_000);
    long seed = Long.getLong("bench.seed", 42L);
    var rows = LabelledDataset.read(datasets.resolve(dataset).resolve("data.jsonl"));
    var labels = rows.stream().map(LabelledDataset.Row::humanLabel).distinct().sorted().toList();
    var taught =
        rows.stream().filter(r -> r.split().equals("train") && r.llmLabel() != null).toList();
    var train = spread(taught, Math.min(n, taught.size()));
    var test = rows.stream().filter(r -> r.split().equals("test")).toList();
    var settings = settings();
    var examples =
        train.stream()
            .map(
                r ->
                    new LabeledExample(
                        r.text(),
                        r.llmLabel(),
                        SoftTargets.fromConfidence(r.llmLabel(), r.llmConfidence())))
            .toList();

    long start = System.nanoTime();
    var trained =
        new TransformerFinetuneKind(settings).train(examples, labels, seed, TrainingProgress.NONE);
    double trainingSeconds = (System.nanoTime() - start) / 1e9;
    var work = Files.createTempDirectory("finetune-bench");
    var stored =
        new ModelStore(work)
            .save(dataset, 1, new TransformerFinetuneKind(settings), trained.student(), 0);
    try (var served = ModelStore.load(stored.uri(), stored.sha256(), StudentKinds.builtIn())) {
      for (int i = 0; i < Math.min(100, test.size()); i++) {
        served.predict(test.get(i).text());
      }
      long scoring = System.nanoTime();
      double f1 = macroF1(served, test, labels);
      double perSecond = test.size() / ((System.nanoTime() - scoring) / 1e9);
      var teacher =
          Metrics.compare(
                  labels,
                  taught.stream().map(LabelledDataset.Row::llmLabel).toList(),
                  taught.stream().map(LabelledDataset.Row::humanLabel).toList())
              .macroF1();
      System.out.printf(
          Locale.ROOT,
          "## transformer-finetune on %s%n%n- Command: `%s`%n"
              + "- Settings: %s%n"
              + "- Cores: %d; fine-tuned on %d LLM labels (%d after the held-out slice) in %.0f s"
              + " (%.1f texts/s over the run) on %s%n"
              + "- Student on LLM labels, macro-F1 against people on %d test texts: %.3f%n"
              + "- The LLM against people on the %d train texts it labelled: %.3f%n"
              + "- Scoring as the classifier loads it (ONNX Runtime), one text at a time: %.0f"
              + " texts/s%n",
          dataset,
          String.format(Locale.ROOT, COMMAND, dataset, n, overrides()),
          settings,
          Runtime.getRuntime().availableProcessors(),
          examples.size(),
          trained.examples(),
          trainingSeconds,
          examples.size() / trainingSeconds,
          trained.device(),
          test.size(),
          f1,
          taught.size(),
          teacher,
          perSecond);
    } finally {
      trained.student().close();
    }
  }

  /**
   * The default settings, or others for a comparison (and {@code -Dbench.seed}, default 42, for the
   * run's seed): {@code -Dbench.epochs}, {@code -Dbench.patience}, {@code -Dbench.learning-rate},
   * {@code -Dbench.pretrained=bge-small-en-v1.5}, {@code -Dbench.pooling=cls}, {@code
   * -Dbench.distillation=soft} (the LLM's recorded confidence as the soft target), {@code
   * -Dbench.temperature}.
   */
  private static TransformerSettings settings() {
    var d = TransformerSettings.DEFAULT;
    var distillation =
        SoftTargets.Distillation.valueOf(
            System.getProperty("bench.distillation", d.distillation().name())
                .toUpperCase(Locale.ROOT));
    return new TransformerSettings(
        d.encoder(),
        System.getProperty("bench.pretrained", d.pretrained()),
        d.maxLength(),
        Integer.getInteger("bench.epochs", d.epochs()),
        d.batchSize(),
        Float.parseFloat(
            System.getProperty("bench.learning-rate", Float.toString(d.learningRate()))),
        d.weightDecay(),
        d.warmupShare(),
        d.maxGradNorm(),
        d.validationShare(),
        Integer.getInteger("bench.patience", d.patience()),
        d.classWeights(),
        Pooling.valueOf(
            System.getProperty("bench.pooling", d.pooling().name()).toUpperCase(Locale.ROOT)),
        distillation,
        Double.parseDouble(
            System.getProperty("bench.temperature", Double.toString(d.temperature()))),
        d.seed());
  }

  /** The {@code -Dbench.*} settings of this run beyond the dataset and the label count. */
  private static String overrides() {
    var out = new StringBuilder();
    for (var key :
        List.of(
            "bench.seed",
            "bench.pretrained",
            "bench.epochs",
            "bench.patience",
            "bench.pooling",
            "bench.learning-rate",
            "bench.distillation",
            "bench.temperature")) {
      var value = System.getProperty(key);
      if (value != null) {
        out.append(" -D").append(key).append('=').append(value);
      }
    }
    return out.toString();
  }

  private static double macroF1(
      Student student, List<LabelledDataset.Row> rows, List<String> labels) {
    var predicted = new ArrayList<String>(rows.size());
    for (var row : rows) {
      predicted.add(student.predict(row.text()).label());
    }
    return Metrics.compare(labels, predicted, rows.stream().map(r -> r.humanLabel()).toList())
        .macroF1();
  }

  private static List<LabelledDataset.Row> spread(List<LabelledDataset.Row> rows, int n) {
    var out = new ArrayList<LabelledDataset.Row>(n);
    double step = (double) rows.size() / n;
    for (int i = 0; i < n; i++) {
      out.add(rows.get((int) (i * step)));
    }
    return out;
  }
}
