package io.distillery.bench;

import static io.distillery.bench.ClassifierBench.COMMAND;
import static io.distillery.bench.ClassifierBench.DISTILBERT;
import static io.distillery.bench.ClassifierBench.FINETUNE_GOAL;
import static io.distillery.bench.ClassifierBench.FINETUNE_WARM_UP;
import static io.distillery.bench.ClassifierBench.HASHED_GOAL;
import static io.distillery.bench.ClassifierBench.HASHED_WARM_UP;
import static io.distillery.bench.ClassifierBench.MINILM_GOAL;
import static io.distillery.bench.ClassifierBench.MINILM_WARM_UP;
import static io.distillery.bench.ClassifierBench.PACED_FOR;
import static io.distillery.bench.ClassifierBench.PARTITIONS;
import static io.distillery.bench.ClassifierBench.PASSTHROUGH_SHARE_GOAL;
import static io.distillery.bench.ClassifierBench.percentile;

import io.distillery.bench.ClassifierBench.Result;
import io.distillery.bench.ClassifierBench.Trained;
import io.distillery.students.Devices;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown report of {@link ClassifierBench}: the machine, the runs and the goals beside them.
 */
final class ClassifierReport {

  private ClassifierReport() {}

  /** The whole report, in Markdown. */
  static String markdown(
      Path dataset,
      List<Trained> students,
      List<Result> results,
      String loadBefore,
      String loadAfter) {
    var out = new StringBuilder();
    var runtime = Runtime.getRuntime();
    out.append("## Classifier end to end: raw → scored on a real broker\n\n");
    line(
        out,
        "- Machine: %d cores (as the JVM sees them), %s %s, Java %s, max heap %d MiB; load"
            + " average (1, 5, 15 min) %s at the start, %s at the end",
        runtime.availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.runtime.version"),
        runtime.maxMemory() / (1024 * 1024),
        loadBefore,
        loadAfter);
    line(out, "- Command (from the repository root): `%s`", COMMAND);
    line(
        out,
        "- Cluster: one embedded KRaft broker in this JVM, the packaged schema registry in a child"
            + " JVM, both on loopback; every topic %d partitions, replication 1; Kafka Streams with"
            + " the classifier's settings (exactly-once v2, %d stream thread(s), commit interval"
            + " 100 ms)",
        PARTITIONS,
        ClassifierBench.STREAM_THREADS);
    line(
        out,
        "- Texts: `%s`, sentences of movie reviews, sent as Avro `TextEvent`s through the"
            + " registry and preloaded before a run starts: the passthrough and hashed-linear read"
            + " the same texts, cycled to the backlog's length, each in a fresh raw topic;"
            + " minilm-head reads texts it was never trained on, none twice (its encoder caches"
            + " vectors, and a repeated text would not be run through the model)",
        dataset.resolve("data.jsonl"));
    for (var s : students) {
      line(
          out,
          "- `%s` student: trained on %d LLM labels in %.1f s, saved with `ModelStore`, loaded by"
              + " `ModelHolder.offer`",
          s.kind(),
          s.trainingSize(),
          s.trainingMillis() / 1000.0);
    }
    line(
        out,
        "- Scoring device: the CPU (hashed-linear is plain Java; minilm-head runs MiniLM-q on"
            + " OnnxRuntime's CPU engine, one text per pass; transformer-finetune runs the"
            + " fine-tuned fp32 %s on OnnxRuntime's CPU engine, its weights written into the"
            + " shipped ONNX graph, one text per pass); DJL's PyTorch engine (training): %s",
        ClassifierBench.FINETUNE_ENCODER,
        Devices.choose().describe());
    line(
        out,
        "- Warm-up, not counted: a passthrough over the same backlog; each student scores %d"
            + " (hashed-linear), %d (minilm-head) or %d (transformer-finetune) texts first",
        HASHED_WARM_UP,
        MINILM_WARM_UP,
        FINETUNE_WARM_UP);
    out.append('\n');

    out.append(
        "### Throughput: a preloaded backlog, from start until the last output is committed\n\n");
    out.append(
        "| run | texts | startup s | total s | texts/s | texts/s after startup | vs passthrough"
            + " (after startup) |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    var passthrough = results.get(0);
    for (var r : results) {
      boolean sameTexts = r.texts() == passthrough.texts();
      line(
          out,
          "| %s | %d | %.2f | %.2f | %.0f | %.0f | %s |",
          r.name(),
          r.texts(),
          r.timing().startupNanos() / 1e9,
          r.timing().totalNanos() / 1e9,
          r.perSecond(),
          r.timing().steadyPerSecond(),
          r == passthrough
              ? "—"
              : sameTexts
                  ? String.format(
                      Locale.ROOT,
                      "%.1f %% (%.1f %%)",
                      100 * r.perSecond() / passthrough.perSecond(),
                      100 * r.timing().steadyPerSecond() / passthrough.timing().steadyPerSecond())
                  : "— (other texts)");
    }
    out.append(
        "\nStartup: from `KafkaStreams.start()` to the first committed offsets (group join, task"
            + " and store set-up, the first transaction). Texts/s = texts / total s, as the goals"
            + " count it; after startup = the texts committed after the first commit / the time"
            + " since.\n\n");

    var hashed = results.get(1);
    var minilm = results.get(2);
    double share = hashed.perSecond() / passthrough.perSecond();
    double steadyShare = hashed.timing().steadyPerSecond() / passthrough.timing().steadyPerSecond();
    out.append("| goal | measured | |\n|---|---:|---|\n");
    line(
        out,
        "| hashed-linear ≥ %,.0f texts/s | %,.0f texts/s | %s |",
        HASHED_GOAL,
        hashed.perSecond(),
        met(hashed.perSecond() >= HASHED_GOAL));
    line(
        out,
        "| hashed-linear ≥ %.0f %% of the passthrough | %.1f %% (after startup %.1f %%) | %s |",
        100 * PASSTHROUGH_SHARE_GOAL,
        100 * share,
        100 * steadyShare,
        met(share >= PASSTHROUGH_SHARE_GOAL));
    line(
        out,
        "| minilm-head ≥ %.0f texts/s (5 × plain DistilBERT's %.0f/s on 2 cores, not measured"
            + " here) | %.0f texts/s (%.1f ×) | %s |",
        MINILM_GOAL,
        DISTILBERT,
        minilm.perSecond(),
        minilm.perSecond() / DISTILBERT,
        met(minilm.perSecond() >= MINILM_GOAL));
    var finetuned = results.get(3);
    line(
        out,
        "| transformer-finetune ≥ %.0f texts/s | %.0f texts/s | %s |",
        FINETUNE_GOAL,
        finetuned.perSecond(),
        met(finetuned.perSecond() >= FINETUNE_GOAL));
    out.append('\n');

    out.append("### Latency\n\n");
    out.append(
        "| run | scoring p50 µs | scoring p99 µs | paced texts/s | paced texts | paced s |"
            + " end to end p50 ms | end to end p99 ms | end to end max ms |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (var r : results) {
      var t = r.timing();
      line(
          out,
          "| %s | %s | %s | %.0f | %d | %.1f | %d | %d | %d |",
          r.name(),
          r.scoringMicros() == null ? "—" : Long.toString(percentile(r.scoringMicros(), 0.5)),
          r.scoringMicros() == null ? "—" : Long.toString(percentile(r.scoringMicros(), 0.99)),
          t.pacedRate(),
          t.paced(),
          t.paced() / t.pacedRate(),
          percentile(t.endToEndMillis(), 0.5),
          percentile(t.endToEndMillis(), 0.99),
          t.endToEndMillis()[t.endToEndMillis().length - 1]);
    }
    out.append(
        "\nScoring: `ScoredText.latency_micros`, the student's `predict` alone, over the backlog."
            + " End to end: texts sent one by one, asking for half the run's throughput after"
            + " startup (the table gives the rate one producer thread reached), for "
            + PACED_FOR.toSeconds()
            + " s or until minilm-head's unseen texts run out, with the application running; from"
            + " the send (the record timestamp, which Kafka Streams carries to the output) to its"
            + " arrival at a read-committed consumer of the output. In the backlog it would only"
            + " measure queueing: the last text waits for all the others.\n\n");

    out.append("### Where the classifier's texts went, backlog and paced phase together\n\n");
    out.append(
        "| student | scored | uncertain | also sent to the teacher |\n|---|---:|---:|---:|\n");
    for (var r : results) {
      if (r.routing() != null) {
        line(
            out,
            "| %s | %d | %d | %d |",
            r.name(),
            r.routing().scored(),
            r.routing().uncertain(),
            r.routing().toTeacher());
      }
    }
    return out.toString();
  }

  private static String met(boolean met) {
    return met ? "met" : "NOT met";
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
