package io.distillery.bench;

import io.distillery.students.HashedFeaturizer;
import io.distillery.students.HashedLinearTrainer;
import io.distillery.students.LabeledExample;
import io.distillery.students.LabelledDataset;
import io.distillery.students.StringHashedFeaturizer;
import io.distillery.students.Student;
import io.distillery.students.TrainingProgress;
import io.distillery.students.TrainingSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code hashed-linear} student's scoring path, side by side in one run: the default featurizer
 * ({@link HashedFeaturizer#DEFAULT}: words, bigrams, character 3- and 4-grams) against the same
 * features built from strings as it was first written ({@code StringHashedFeaturizer}, from the
 * students' tests), and a whole {@code predict} (features, dot product, softmax) of a student
 * trained on the LLM's labels. Over every sentence of movie-review-polarity, several rounds,
 * alternating the two, each text timed alone: median and p99 per text. Prints Markdown; asserts
 * nothing.
 *
 * <pre>
 * java -cp "bench/target/distillery-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)" \
 *   io.distillery.bench.FeaturizerBench
 * </pre>
 */
public final class FeaturizerBench {

  private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

  private FeaturizerBench() {}

  public static void main(String[] args) throws Exception {
    var datasets = Path.of(System.getProperty("distillery.datasets", "../shared/datasets"));
    var rows = LabelledDataset.read(datasets.resolve("movie-review-polarity/data.jsonl"));
    var texts = rows.stream().map(LabelledDataset.Row::text).toList();
    var featurizer = HashedFeaturizer.DEFAULT;
    var train =
        rows.stream()
            .filter(r -> r.llmLabel() != null)
            .map(r -> new LabeledExample(r.text(), r.llmLabel()))
            .toList();
    var labels = train.stream().map(LabeledExample::label).distinct().sorted().toList();
    Student student =
        HashedLinearTrainer.train(train, labels, TrainingSettings.DEFAULT, TrainingProgress.NONE)
            .student();

    long[] strings = new long[texts.size() * ROUNDS];
    long[] direct = new long[texts.size() * ROUNDS];
    long[] predict = new long[texts.size() * ROUNDS];
    // Warm-up, not counted: the JIT compiles all three paths first.
    for (int i = 0; i < 3; i++) {
      time(texts, t -> StringHashedFeaturizer.features(featurizer, t), new long[texts.size()], 0);
      time(texts, featurizer::features, new long[texts.size()], 0);
      time(texts, student::predict, new long[texts.size()], 0);
    }
    for (int round = 0; round < ROUNDS; round++) {
      int at = round * texts.size();
      time(texts, t -> StringHashedFeaturizer.features(featurizer, t), strings, at);
      time(texts, featurizer::features, direct, at);
      time(texts, student::predict, predict, at);
    }
    System.out.printf(
        Locale.ROOT,
        "## hashed-linear scoring, %d movie-review sentences x %d rounds, one JVM%n%n",
        texts.size(),
        ROUNDS);
    System.out.println("| path | median µs | p99 µs | vs strings (median) |");
    System.out.println("|---|---:|---:|---:|");
    row("features, built from strings (before)", strings, strings);
    row("features, hashed in place (now)", direct, strings);
    row("predict: features + dot product + softmax (now)", predict, strings);
  }

  private static <T> void time(
      List<String> texts, java.util.function.Function<String, T> f, long[] out, int at) {
    Object sink = null;
    for (int i = 0; i < texts.size(); i++) {
      long t0 = System.nanoTime();
      sink = f.apply(texts.get(i));
      out[at + i] = System.nanoTime() - t0;
    }
    if (sink == null) {
      throw new IllegalStateException("nothing computed");
    }
  }

  private static void row(String name, long[] nanos, long[] baseline) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %.2f | %.2f | %.2f × |%n",
        name,
        percentile(nanos, 0.5) / 1e3,
        percentile(nanos, 0.99) / 1e3,
        percentile(baseline, 0.5) / percentile(nanos, 0.5));
  }

  private static double percentile(long[] values, double q) {
    var sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }
}
