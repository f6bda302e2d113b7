package io.distillery.experiment;

import io.distillery.auditor.agreement.Agreement;
import io.distillery.auditor.agreement.Interval;
import io.distillery.schema.GateStatus;
import java.util.List;
import java.util.Map;

/**
 * Every number of one experiment, as {@code results.json} holds it and {@code report.md} and the
 * plots show it. Seeds, label counts and settings are in it too, so a reader can rerun it; only
 * {@link #cost} (measured throughput) and {@link #timing} change from one run to the next.
 *
 * @param dataset what was measured on
 * @param settings how
 * @param teacher the teacher against people
 * @param students each kind on teacher labels and on people's labels
 * @param noise the label-noise curve, per kind and share flipped
 * @param sampleSizes the sample-size curve, per kind and number of teacher labels
 * @param cost teacher for all against teacher for a sample and the student for the rest
 * @param timing how long the run took
 */
public record ExperimentResult(
    DatasetInfo dataset,
    Settings settings,
    TeacherResult teacher,
    List<StudentResult> students,
    List<NoisePoint> noise,
    List<SizePoint> sampleSizes,
    CostTable cost,
    Timing timing) {

  /**
   * @param name the dataset's name
   * @param file the data file
   * @param codebook where the labels and definitions came from
   * @param labels the label set, in table order
   * @param trainRows rows of the train split
   * @param testRows rows of the test split
   * @param trainTeacherLabelled train rows the teacher gave a label: the students' training texts
   *     (for both label sources, so the two differ only in who labelled)
   */
  public record DatasetInfo(
      String name,
      String file,
      String codebook,
      List<String> labels,
      int trainRows,
      int testRows,
      int trainTeacherLabelled) {}

  /**
   * @param teacher the teacher kind asked for
   * @param students the student kinds, in order
   * @param seeds the seeds of every condition
   * @param noise the shares flipped
   * @param sizes the sample sizes asked for (those below the training set's size were run)
   * @param temperature applied to the teacher's distribution by the {@code +soft} students
   * @param encoder the shipped encoder the {@code transformer-finetune} students fine-tuned
   * @param audit train texts whose people's labels correct the {@code +corrected} students
   * @param bootstrapResamples resamples behind the teacher's intervals (the auditor's setting)
   * @param bootstrapSeed their seed
   * @param gate the auditor's gate thresholds applied to the teacher
   */
  public record Settings(
      String teacher,
      List<String> students,
      List<Long> seeds,
      List<Double> noise,
      List<Integer> sizes,
      double temperature,
      String encoder,
      int audit,
      int bootstrapResamples,
      long bootstrapSeed,
      Agreement.Gate gate) {}

  /**
   * The teacher against people.
   *
   * @param kind the teacher's kind
   * @param model the model behind it (a recorded LLM's labels, MiniLM, an LLM)
   * @param promptVersion the codebook's prompt version it labelled under
   * @param split the split it was measured on: {@code test}, or {@code train} when the test split
   *     has no teacher labels (movie-review-polarity's recorded labels)
   * @param splitNote why that split
   * @param rows rows of that split
   * @param labelled of them, those the teacher labelled; the others are left out of its scores
   * @param failed texts of the whole dataset the teacher gave no usable label
   * @param failures a few of the reasons, for the report
   * @param score its agreement with people on the labelled rows
   * @param accuracyInterval bootstrap 95 % interval of the accuracy
   * @param macroF1Interval bootstrap 95 % interval of the macro-F1
   * @param kappaInterval bootstrap 95 % interval of κ
   * @param gate what the auditor's gate says on these numbers
   */
  public record TeacherResult(
      String kind,
      String model,
      String promptVersion,
      String split,
      String splitNote,
      int rows,
      int labelled,
      int failed,
      List<String> failures,
      Score score,
      Interval accuracyInterval,
      Interval macroF1Interval,
      Interval kappaInterval,
      GateResult gate) {}

  /**
   * The auditor's gate on the teacher's numbers.
   *
   * @param status INSUFFICIENT_DATA, PASS or FAIL, as the auditor would say
   * @param reason why
   * @param qualityStatus the same gate without its minimum of reviewed items: whether the numbers
   *     themselves pass, on a sample too small to decide
   * @param qualityReason why
   * @param pass whether the trainer would distil this teacher ({@code status} is PASS)
   */
  public record GateResult(
      GateStatus status,
      String reason,
      GateStatus qualityStatus,
      String qualityReason,
      boolean pass) {}

  /**
   * One student kind, trained on each label source.
   *
   * @param kind the kind's name
   * @param trainSize training texts of either source
   * @param teacherLabels trained on the teacher's labels
   * @param humanLabels trained on people's labels for the same texts
   * @param gapHumanMinusTeacherLabels macro-F1 of the student on people's labels minus on the
   *     teacher's, seed by seed: what distilling cost against hand-labelling the same texts
   * @param gapStudentMinusTeacher macro-F1 of the student on the teacher's labels minus the
   *     teacher's own, seed by seed: what the student loses (or gains) against its teacher
   */
  public record StudentResult(
      String kind,
      int trainSize,
      Condition teacherLabels,
      Condition humanLabels,
      Spread gapHumanMinusTeacherLabels,
      Spread gapStudentMinusTeacher) {}

  /**
   * A student kind trained on one set of labels, once per seed, scored against people on the test
   * split.
   *
   * @param labels {@code teacher} or {@code human}
   * @param runs one score per seed, in seed order
   * @param summary the spread of every number over the seeds
   * @param firstSeedIntervals bootstrap 95 % intervals over the test texts of the first seed's
   *     student (how much the numbers would move on another test set)
   */
  public record Condition(
      String labels, List<SeedRun> runs, Summary summary, TestIntervals firstSeedIntervals) {}

  /**
   * @param seed the seed
   * @param trainSize texts trained on
   * @param score the student's agreement with people on the test split
   */
  public record SeedRun(long seed, int trainSize, Score score) {}

  /**
   * @param accuracy over seeds
   * @param macroF1 over seeds
   * @param kappa over seeds
   * @param macroPrecision over seeds
   * @param macroRecall over seeds
   * @param perClass per label people or the student used, over seeds
   */
  public record Summary(
      Spread accuracy,
      Spread macroF1,
      Spread kappa,
      Spread macroPrecision,
      Spread macroRecall,
      Map<String, ClassSpread> perClass) {}

  /**
   * One label over seeds; a seed whose student never gave the label counts precision 0.
   *
   * @param precision over seeds
   * @param recall over seeds
   * @param f1 over seeds
   */
  public record ClassSpread(Spread precision, Spread recall, Spread f1) {}

  /**
   * @param accuracy bootstrap 95 % interval
   * @param macroF1 bootstrap 95 % interval
   * @param kappa bootstrap 95 % interval
   */
  public record TestIntervals(Interval accuracy, Interval macroF1, Interval kappa) {}

  /**
   * One point of the noise curve.
   *
   * @param kind the student kind
   * @param share share of the teacher's training labels flipped
   * @param flipped how many labels that is
   * @param runs one per seed (each seed flips other labels)
   * @param summary over seeds
   */
  public record NoisePoint(
      String kind, double share, int flipped, List<SeedRun> runs, Summary summary) {}

  /**
   * One point of the sample-size curve.
   *
   * @param kind the student kind
   * @param size teacher labels trained on
   * @param all whether that is every teacher label of the train split
   * @param runs one per seed (each seed draws other texts)
   * @param summary over seeds
   */
  public record SizePoint(
      String kind, int size, boolean all, List<SeedRun> runs, Summary summary) {}

  /**
   * What labeling a stream costs: an LLM teacher for every text, against the teacher for the
   * training sample and a student for the rest.
   *
   * @param model the LLM priced (the configured {@code distillery.teacher.model})
   * @param priced whether the price table has it; without a price every dollar figure is null
   * @param note what is assumed, or why there are no dollars
   * @param inputUsdPerMillion price of a million prompt tokens
   * @param outputUsdPerMillion price of a million completion tokens
   * @param samples answers per text (self-consistency)
   * @param batchSize texts per call
   * @param inFlight calls in flight
   * @param latencySeconds seconds per call
   * @param teacherUsdPerText estimated dollars per text, from this dataset's mean text length
   * @param teacherSample texts the teacher labels in the mixed plan: the students' training set
   * @param studentUsdPerHour price of a CPU core-hour for the student
   * @param throughput texts per second each student kind scored, one thread, measured here
   * @param rows one per stream size and student kind
   */
  public record CostTable(
      String model,
      boolean priced,
      String note,
      Double inputUsdPerMillion,
      Double outputUsdPerMillion,
      int samples,
      int batchSize,
      int inFlight,
      double latencySeconds,
      Double teacherUsdPerText,
      int teacherSample,
      double studentUsdPerHour,
      Map<String, Double> throughput,
      List<CostRow> rows) {}

  /**
   * @param texts texts in the stream
   * @param kind the student kind of the mixed plan
   * @param teacherAllUsd dollars for the teacher on every text
   * @param teacherAllHours hours for that
   * @param mixedUsd dollars for the teacher on the sample plus the student on the rest
   * @param mixedHours hours for that (teacher, then student on one core)
   * @param savedShare share of {@code teacherAllUsd} the mixed plan saves
   */
  public record CostRow(
      long texts,
      String kind,
      Double teacherAllUsd,
      double teacherAllHours,
      Double mixedUsd,
      double mixedHours,
      Double savedShare) {}

  /**
   * @param startedAt when the run started (ISO-8601)
   * @param teacherSeconds labeling by the teacher
   * @param trainingSeconds training and scoring the students
   * @param totalSeconds the whole run
   * @param trainings students trained
   */
  public record Timing(
      String startedAt,
      double teacherSeconds,
      double trainingSeconds,
      double totalSeconds,
      int trainings) {}
}
