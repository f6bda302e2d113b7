package io.distillery.experiment;

import io.distillery.common.Codebook;
import io.distillery.experiment.ExperimentResult.CostRow;
import io.distillery.experiment.ExperimentResult.CostTable;
import io.distillery.labeler.CostEstimate;
import io.distillery.labeler.TeacherConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost side of the paper's argument: labeling a stream of N texts with an LLM teacher, against
 * the teacher for the student's training sample and the student for the rest. The teacher's side is
 * the labeler's own {@link CostEstimate} (tokens from the codebook and this dataset's texts, the
 * price table {@code distillery.teacher.prices}, calls in flight and latency); the student's is its
 * throughput measured in this run on one core, at a price per core-hour.
 */
final class Costs {

  /** Stream sizes of the table: a small batch, a large one, and the paper's 6.2 M tweets. */
  static final List<Long> STREAMS = List.of(10_000L, 1_000_000L, 6_200_000L);

  private Costs() {}

  /**
   * The table.
   *
   * @param texts texts of this dataset, for their mean length
   * @param latencySeconds seconds per teacher call
   * @param sample texts the teacher labels in the mixed plan (the students' training set)
   * @param studentUsdPerHour price of a core-hour
   * @param throughput per student kind, texts per second on one core
   */
  static CostTable table(
      Codebook codebook,
      List<String> texts,
      TeacherConfig config,
      double latencySeconds,
      int sample,
      double studentUsdPerHour,
      Map<String, Double> throughput) {
    var model = config.model();
    var price = config.prices() == null ? null : config.prices().get(model);
    boolean priced = price != null;
    var settings =
        new CostEstimate.Settings(
            priced ? price.input() : 0,
            priced ? price.output() : 0,
            config.samples(),
            config.batchSize(),
            config.maxInFlight(),
            latencySeconds);
    var estimate = CostEstimate.estimate(codebook, texts, settings);
    var rows = new ArrayList<CostRow>();
    for (long n : STREAMS) {
      var all = estimate.scaledTo(n);
      long taught = Math.min(n, sample);
      var teacherPart = estimate.scaledTo(taught);
      for (var kind : throughput.entrySet()) {
        double studentHours = (n - taught) / kind.getValue() / 3600;
        double mixedUsd = teacherPart.costUsd() + studentHours * studentUsdPerHour;
        rows.add(
            new CostRow(
                n,
                kind.getKey(),
                priced ? all.costUsd() : null,
                all.hours(),
                priced ? mixedUsd : null,
                teacherPart.hours() + studentHours,
                priced && all.costUsd() > 0 ? 1 - mixedUsd / all.costUsd() : null));
      }
    }
    var note =
        priced
            ? String.format(
                Locale.ROOT,
                "teacher: %s at $%.2f / $%.2f per million prompt / completion tokens, %d answer(s)"
                    + " per text, %d text(s) per call, %d calls in flight, %.1f s a call; tokens"
                    + " estimated from the codebook and this dataset's mean text length (about 4"
                    + " characters a token). Student: one core at $%.3f an hour. People's review"
                    + " sample is not priced.",
                model,
                price.input(),
                price.output(),
                config.samples(),
                config.batchSize(),
                config.maxInFlight(),
                latencySeconds,
                studentUsdPerHour)
            : "no price for model '"
                + model
                + "' in distillery.teacher.prices: set distillery.teacher.prices.\""
                + model
                + "\".input and .output (run through ./distillery, which reads the application's"
                + " price table); hours only";
    return new CostTable(
        model,
        priced,
        note,
        priced ? price.input() : null,
        priced ? price.output() : null,
        config.samples(),
        config.batchSize(),
        config.maxInFlight(),
        latencySeconds,
        priced && !texts.isEmpty() ? estimate.costUsd() / texts.size() : null,
        sample,
        studentUsdPerHour,
        throughput,
        List.copyOf(rows));
  }
}
