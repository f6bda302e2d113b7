package io.distillery.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.Codebook;
import io.distillery.labeler.Teacher;
import io.distillery.labeler.TeacherConfig;
import io.distillery.labeler.TeacherKind;
import io.distillery.labeler.openai.OpenAiTeacher;
import io.distillery.labeler.openai.TeacherStats;
import io.distillery.schema.TextEvent;
import io.distillery.students.LabelledDataset;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the OpenAI-compatible teacher against {@link OpenAiStub}, a loopback server with a fixed
 * 500 ms latency, and prints a Markdown report (docs/benchmarks.md):
 *
 * <ol>
 *   <li>Throughput: labels/s with 1, 8 and 64 calls in flight, one text per call, against the bound
 *       in-flight / latency. Calls are driven as the labeler drives them: as many threads as calls
 *       in flight, each calling {@link OpenAiTeacher#label} with one chunk after another.
 *   <li>Prompt tokens per label with batches of 1 and of 10 texts, from {@link TeacherStats}, on
 *       200 texts of the tweet-emoji dataset under a codebook made from its label definitions.
 * </ol>
 *
 * <p>The datasets folder is {@code -Ddistillery.datasets}, by default {@code ../shared/datasets}
 * (relative to the repository root, where the documented command runs).
 */
public final class TeacherBench {

  /** How to run it, from the repository root; printed with the results. */
  static final String COMMAND =
      "./mvnw -B -q install -pl bench -am -DskipTests && java -cp"
          + " \"bench/target/distillery-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)\""
          + " io.distillery.bench.TeacherBench";

  static final Duration LATENCY = Duration.ofMillis(500);
  static final List<Integer> IN_FLIGHT = List.of(1, 8, 64);

  /** Texts per call slot: each throughput run lasts about 16 × 0.5 s = 8 s. */
  static final int TEXTS_PER_SLOT = 16;

  static final int TOKEN_TEXTS = 200;
  static final List<Integer> BATCH_SIZES = List.of(1, 10);

  /** Calls in flight while counting tokens; token counts do not depend on it. */
  static final int TOKEN_IN_FLIGHT = 64;

  static final double THROUGHPUT_GOAL = 0.90;
  static final double TOKEN_REDUCTION_GOAL = 0.40;

  private static final String DATASET = "tweet-emoji";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TeacherBench() {}

  public static void main(String[] args) throws Exception {
    var dataset = Path.of(System.getProperty("distillery.datasets", "../shared/datasets"), DATASET);
    var codebook = codebook(DATASET, dataset.resolve("meta.json"));
    var rows = LabelledDataset.read(dataset.resolve("data.jsonl"));
    int needed = Math.max(TOKEN_TEXTS, IN_FLIGHT.get(IN_FLIGHT.size() - 1) * TEXTS_PER_SLOT);
    if (rows.size() < needed) {
      throw new IllegalStateException(dataset + " has " + rows.size() + " rows; need " + needed);
    }
    try (var stub = new OpenAiStub(codebook.labelNames(), LATENCY).start()) {
      // Warms the JIT up on every code path the runs take; not counted.
      run(stub, codebook, rows.subList(0, 32), 8, 1);
      run(stub, codebook, rows.subList(0, 40), 4, 10);

      var throughput = new ArrayList<Run>();
      for (int inFlight : IN_FLIGHT) {
        throughput.add(
            run(stub, codebook, rows.subList(0, inFlight * TEXTS_PER_SLOT), inFlight, 1));
      }
      var tokens = new ArrayList<Run>();
      for (int batchSize : BATCH_SIZES) {
        tokens.add(run(stub, codebook, rows.subList(0, TOKEN_TEXTS), TOKEN_IN_FLIGHT, batchSize));
      }
      System.out.print(report(codebook, dataset, throughput, tokens));
    }
  }

  /**
   * A codebook from a shared dataset's {@code meta.json}: its task sentence as the description and
   * its labels with their definitions, in file order; no instructions, no examples.
   */
  static Codebook codebook(String task, Path metaJson) throws IOException {
    var meta = JSON.readTree(metaJson.toFile());
    var labels = new ArrayList<Codebook.Label>();
    for (var label : meta.path("labels").properties()) {
      labels.add(new Codebook.Label(label.getKey(), label.getValue().asText()));
    }
    return new Codebook(task, meta.path("task").asText(""), labels, "", List.of());
  }

  /**
   * The teacher's settings for a run: one sample, no log-probabilities, PII redaction on, no rate
   * limits, no key (the stub needs none).
   */
  static TeacherConfig config(String baseUrl, int maxInFlight, int batchSize) {
    var properties =
        Map.of(
            "distillery.teacher.kind", TeacherKind.OPENAI.id(),
            "distillery.teacher.model", "stub",
            "distillery.teacher.base-url", baseUrl,
            "distillery.teacher.samples", "1",
            "distillery.teacher.logprobs", "false",
            "distillery.teacher.redact-pii", "true",
            "distillery.teacher.batch-size", Integer.toString(batchSize),
            "distillery.teacher.max-in-flight", Integer.toString(maxInFlight),
            "distillery.teacher.requests-per-minute", "0",
            "distillery.teacher.tokens-per-minute", "0");
    return new SmallRyeConfigBuilder()
        .withSources(new PropertiesConfigSource(properties, "bench", 500))
        .withMapping(TeacherConfig.class)
        .build()
        .getConfigMapping(TeacherConfig.class);
  }

  /**
   * Labels {@code rows} in chunks of {@code batchSize} with a fresh teacher, {@code inFlight}
   * threads each taking the next chunk until none is left, as the labeler does.
   *
   * @throws IllegalStateException when a text gets no label: a run that fails measures nothing
   */
  static Run run(
      OpenAiStub stub,
      Codebook codebook,
      List<LabelledDataset.Row> rows,
      int inFlight,
      int batchSize)
      throws InterruptedException {
    var config = config(stub.baseUrl(), inFlight, batchSize);
    var chunks = new ArrayList<List<TextEvent>>();
    for (int from = 0; from < rows.size(); from += config.batchSize()) {
      chunks.add(
          rows.subList(from, Math.min(rows.size(), from + config.batchSize())).stream()
              .map(TeacherBench::event)
              .toList());
    }
    var pool =
        new ThreadPoolExecutor(
            config.maxInFlight(),
            config.maxInFlight(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>());
    pool.prestartAllCoreThreads();
    try (var teacher = new OpenAiTeacher(codebook, config)) {
      var next = new AtomicInteger();
      Callable<Void> caller =
          () -> {
            for (int i = next.getAndIncrement(); i < chunks.size(); i = next.getAndIncrement()) {
              for (var outcome : teacher.label(chunks.get(i))) {
                if (outcome instanceof Teacher.Failed failed) {
                  throw new IllegalStateException("a text got no label: " + failed.reason());
                }
              }
            }
            return null;
          };
      stub.resetMaxConcurrent();
      long start = System.nanoTime();
      var futures = pool.invokeAll(Collections.nCopies(config.maxInFlight(), caller));
      long nanos = System.nanoTime() - start;
      for (var future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("the teacher failed during the run", e.getCause());
        }
      }
      return new Run(
          inFlight,
          batchSize,
          rows.size(),
          nanos,
          teacher.stats().snapshot(),
          stub.maxConcurrent());
    } finally {
      pool.shutdownNow();
    }
  }

  private static TextEvent event(LabelledDataset.Row row) {
    return TextEvent.newBuilder()
        .setId(row.id())
        .setText(row.text())
        .setIngestedAt(Instant.EPOCH)
        .build();
  }

  /** The whole report, in Markdown. */
  static String report(Codebook codebook, Path dataset, List<Run> throughput, List<Run> tokens) {
    var out = new StringBuilder();
    var runtime = Runtime.getRuntime();
    out.append("## Teacher benchmark\n\n");
    line(
        out,
        "- Machine: %d cores (as the JVM sees them), %s %s, Java %s, max heap %d MiB",
        runtime.availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.runtime.version"),
        runtime.maxMemory() / (1024 * 1024));
    line(out, "- Command (from the repository root): `%s`", COMMAND);
    line(
        out,
        "- Stub: MockWebServer on the loopback address answers every `POST /chat/completions` after"
            + " a fixed %d ms, in parallel; `usage.prompt_tokens` = request body characters / 4,"
            + " `completion_tokens` = %d per text",
        LATENCY.toMillis(),
        OpenAiStub.COMPLETION_TOKENS_PER_TEXT);
    line(
        out,
        "- Teacher: `OpenAiTeacher`, samples 1, logprobs off, PII redaction on, no rate limits;"
            + " codebook from `%s` (%d labels with their definitions, no examples); a warm-up run"
            + " first, not counted",
        dataset.resolve("meta.json"),
        codebook.labels().size());
    out.append('\n');

    out.append("### Throughput: one text per call, against the bound in-flight / latency\n\n");
    out.append(
        "| in flight | texts | calls | seconds | labels/s | bound (in flight / 0.5 s) | ratio |"
            + " most concurrent at the stub |\n");
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (var run : throughput) {
      double bound = run.inFlight() / (LATENCY.toNanos() / 1e9);
      double ratio = run.labelsPerSecond() / bound;
      line(
          out,
          "| %d | %d | %d | %.2f | %.2f | %.1f | %.1f %% | %d |",
          run.inFlight(),
          run.texts(),
          run.stats().calls(),
          run.nanos() / 1e9,
          run.labelsPerSecond(),
          bound,
          100 * ratio,
          run.maxConcurrent());
    }
    var widest = throughput.get(throughput.size() - 1);
    double widestRatio = widest.labelsPerSecond() / (widest.inFlight() / (LATENCY.toNanos() / 1e9));
    line(
        out,
        "\nAt %d in flight: %.1f %% of the bound (goal ≥ %.0f %%: %s).\n",
        widest.inFlight(),
        100 * widestRatio,
        100 * THROUGHPUT_GOAL,
        widestRatio >= THROUGHPUT_GOAL ? "met" : "NOT met");

    out.append("### Prompt tokens per label: batches of 1 and of 10 texts\n\n");
    out.append(
        "| batch size | texts | calls | prompt tokens | prompt tokens / call |"
            + " prompt tokens / label | completion tokens / label |\n");
    out.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    for (var run : tokens) {
      var stats = run.stats();
      line(
          out,
          "| %d | %d | %d | %d | %.1f | %.1f | %.1f |",
          run.batchSize(),
          run.texts(),
          stats.calls(),
          stats.promptTokens(),
          stats.promptTokens() / (double) stats.calls(),
          run.promptTokensPerLabel(),
          stats.completionTokens() / (double) stats.labeledTexts());
    }
    var single = tokens.get(0);
    var batched = tokens.get(tokens.size() - 1);
    double reduction = 1 - batched.promptTokensPerLabel() / single.promptTokensPerLabel();
    line(
        out,
        "\nBatch size %d against %d: %.1f %% fewer prompt tokens per label (goal ≥ %.0f %%: %s).",
        batched.batchSize(),
        single.batchSize(),
        100 * reduction,
        100 * TOKEN_REDUCTION_GOAL,
        reduction >= TOKEN_REDUCTION_GOAL ? "met" : "NOT met");
    return out.toString();
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  /**
   * One measured run.
   *
   * @param inFlight calls in flight at most
   * @param batchSize texts per call
   * @param texts texts labeled
   * @param nanos wall-clock time from the first call to the last answer
   * @param stats the teacher's totals after the run
   * @param maxConcurrent the most requests the stub held at once
   */
  record Run(
      int inFlight,
      int batchSize,
      int texts,
      long nanos,
      TeacherStats.Snapshot stats,
      int maxConcurrent) {

    double labelsPerSecond() {
      return stats.labeledTexts() / (nanos / 1e9);
    }

    double promptTokensPerLabel() {
      return stats.promptTokens() / (double) stats.labeledTexts();
    }
  }
}
