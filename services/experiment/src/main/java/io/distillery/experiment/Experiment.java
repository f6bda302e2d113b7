package io.distillery.experiment;

import io.distillery.auditor.agreement.Agreement;
import io.distillery.auditor.agreement.Bootstrap;
import io.distillery.experiment.ExperimentResult.ClassSpread;
import io.distillery.experiment.ExperimentResult.Condition;
import io.distillery.experiment.ExperimentResult.GateResult;
import io.distillery.experiment.ExperimentResult.NoisePoint;
import io.distillery.experiment.ExperimentResult.SeedRun;
import io.distillery.experiment.ExperimentResult.SizePoint;
import io.distillery.experiment.ExperimentResult.StudentResult;
import io.distillery.experiment.ExperimentResult.Summary;
import io.distillery.experiment.ExperimentResult.TeacherResult;
import io.distillery.experiment.ExperimentResult.TestIntervals;
import io.distillery.schema.TeacherIdentity;
import io.distillery.students.LabeledExample;
import io.distillery.students.LabelledDataset.Row;
import io.distillery.students.SoftTargets;
import io.distillery.students.StudentKind;
import io.distillery.students.TrainingProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The measurements, given the teacher's labels: the teacher against people; each student kind
 * trained on the teacher's labels and on people's labels for the same texts, once per seed, scored
 * against people on the test split; the same student on teacher labels of which a share was
 * flipped; and on fewer teacher labels. Students train one at a time (DJL allows one training per
 * JVM) on the calling thread.
 */
final class Experiment {

  /**
   * What to measure.
   *
   * @param kinds the student kinds
   * @param seeds the seeds of every condition
   * @param noise shares of training labels to flip; 0 reuses the unflipped runs
   * @param sizes training-set sizes to try besides all; those not below the training set's size are
   *     skipped
   * @param bootstrap the auditor's bootstrap, for the teacher's and the first seed's intervals
   * @param gate the auditor's gate thresholds
   */
  record Plan(
      List<StudentKind> kinds,
      List<Long> seeds,
      List<Double> noise,
      List<Integer> sizes,
      Bootstrap bootstrap,
      Agreement.Gate gate) {}

  /**
   * What the students gave.
   *
   * @param students per kind, on both label sources
   * @param noise the noise curve
   * @param sizes the sample-size curve
   * @param throughput per kind, texts scored per second on one thread (the first seed's student on
   *     teacher labels, over the test texts)
   * @param trainings students trained
   */
  record StudentsMeasured(
      List<StudentResult> students,
      List<NoisePoint> noise,
      List<SizePoint> sizes,
      Map<String, Double> throughput,
      int trainings) {}

  private Experiment() {}

  /**
   * The teacher against people: on the test split, or on the train split when the teacher labelled
   * no test text (recorded labels that exist for the train split only), which the result says.
   *
   * @throws TeacherRun.TeacherFailure when the teacher labelled no text at all
   */
  static TeacherResult teacher(
      ExperimentData data,
      TeacherRun.Labels labels,
      String kind,
      TeacherIdentity identity,
      Bootstrap bootstrap,
      Agreement.Gate gate) {
    if (labels.byId().isEmpty()) {
      throw new TeacherRun.TeacherFailure(
          "the " + kind + " teacher labelled none of the texts: " + labels.failures(), null);
    }
    var split = "test";
    var note = "the test split, as every student is scored";
    var rows = data.split("test");
    if (rows.stream().noneMatch(r -> labels.byId().containsKey(r.id()))) {
      split = "train";
      rows = data.split("train");
      note =
          "the train split: the teacher labelled no test text (recorded labels exist for the train"
              + " split only), so its numbers come from other texts than the students'";
    }
    var labelled = rows.stream().filter(r -> labels.byId().containsKey(r.id())).toList();
    var agreement =
        Score.agreement(
            labelled.stream().map(Row::humanLabel).toList(),
            labelled.stream().map(r -> labels.byId().get(r.id())).toList());
    var intervals = agreement.intervals(bootstrap);
    var decision = agreement.gate(gate);
    var quality =
        agreement.gate(
            new Agreement.Gate(
                1,
                gate.minMacroF1(),
                gate.minKappa(),
                gate.minClassItems(),
                gate.minClassPrecision(),
                gate.minClassRecall()));
    return new TeacherResult(
        kind,
        identity.getModel(),
        identity.getPromptVersion(),
        split,
        note,
        rows.size(),
        labelled.size(),
        labels.failed(),
        labels.failures(),
        Score.of(agreement),
        intervals.accuracy(),
        intervals.macroF1(),
        intervals.kappa(),
        new GateResult(
            decision.status(),
            decision.reason(),
            quality.status(),
            quality.reason(),
            decision.status() == io.distillery.schema.GateStatus.PASS));
  }

  /**
   * Trains and scores every student of the plan on the train rows the teacher labelled.
   *
   * @param teacherF1 the teacher's macro-F1, for the student-minus-teacher gap
   */
  static StudentsMeasured students(
      ExperimentData data,
      TeacherRun.Labels teacherLabels,
      double teacherF1,
      Plan plan,
      Progress progress) {
    var train =
        data.split("train").stream().filter(r -> teacherLabels.byId().containsKey(r.id())).toList();
    if (train.isEmpty()) {
      throw new TeacherRun.TeacherFailure(
          "the teacher labelled no text of the train split: there is nothing to distil", null);
    }
    var test = data.split("test");
    var texts = train.stream().map(Row::text).toList();
    var fromTeacher = train.stream().map(r -> teacherLabels.byId().get(r.id())).toList();
    var confidence = train.stream().map(r -> teacherLabels.confidenceById().get(r.id())).toList();
    var fromHumans = train.stream().map(Row::humanLabel).toList();
    var sizes = plan.sizes().stream().filter(s -> s < train.size()).toList();
    long flips = plan.noise().stream().filter(s -> s > 0).count();
    var trainer = new Trainer(data.labels(), test, plan.bootstrap(), progress);
    progress.plan(plan.kinds().size() * plan.seeds().size() * (2 + (int) flips + sizes.size()));

    var students = new ArrayList<StudentResult>();
    var noise = new ArrayList<NoisePoint>();
    var curve = new ArrayList<SizePoint>();
    var throughput = new LinkedHashMap<String, Double>();
    for (var kind : plan.kinds()) {
      var onTeacher = new ArrayList<SeedRun>();
      var onHumans = new ArrayList<SeedRun>();
      TestIntervals teacherIntervals = null;
      TestIntervals humanIntervals = null;
      for (long seed : plan.seeds()) {
        boolean first = seed == plan.seeds().get(0);
        var t =
            trainer.run(
                kind, "teacher labels", texts, taught(fromTeacher, confidence), seed, first);
        onTeacher.add(t.run());
        if (first) {
          teacherIntervals = t.intervals();
          throughput.put(kind.name(), t.textsPerSecond());
        }
        var h = trainer.run(kind, "human labels", texts, labelled(fromHumans), seed, false);
        onHumans.add(h.run());
        if (first) {
          humanIntervals = trainer.intervals(h.agreement());
        }
      }
      students.add(
          new StudentResult(
              kind.name(),
              train.size(),
              new Condition(
                  "teacher", onTeacher, summary(onTeacher, data.labels()), teacherIntervals),
              new Condition("human", onHumans, summary(onHumans, data.labels()), humanIntervals),
              Spread.of(differences(onHumans, onTeacher)),
              Spread.of(onTeacher.stream().map(r -> r.score().macroF1() - teacherF1).toList())));

      for (double share : plan.noise()) {
        if (share == 0) {
          noise.add(
              new NoisePoint(kind.name(), 0, 0, onTeacher, summary(onTeacher, data.labels())));
          continue;
        }
        var runs = new ArrayList<SeedRun>();
        int flipped = 0;
        for (long seed : plan.seeds()) {
          var noisy =
              LabelNoise.flip(fromTeacher, data.labels(), share, derive(seed, "noise", share));
          flipped = noisy.flipped();
          var what =
              String.format(java.util.Locale.ROOT, "teacher labels, %.0f %% flipped", share * 100);
          runs.add(
              trainer
                  .run(kind, what, texts, taught(noisy.labels(), confidence), seed, false)
                  .run());
        }
        noise.add(new NoisePoint(kind.name(), share, flipped, runs, summary(runs, data.labels())));
      }

      for (int size : sizes) {
        var runs = new ArrayList<SeedRun>();
        for (long seed : plan.seeds()) {
          var indices = new ArrayList<Integer>();
          for (int i = 0; i < train.size(); i++) {
            indices.add(i);
          }
          var chosen = LabelNoise.sample(indices, size, derive(seed, "size", size));
          runs.add(
              trainer
                  .run(
                      kind,
                      size + " teacher labels",
                      chosen.stream().map(texts::get).toList(),
                      taught(
                          chosen.stream().map(fromTeacher::get).toList(),
                          chosen.stream().map(confidence::get).toList()),
                      seed,
                      false)
                  .run());
        }
        curve.add(new SizePoint(kind.name(), size, false, runs, summary(runs, data.labels())));
      }
      curve.add(
          new SizePoint(
              kind.name(), train.size(), true, onTeacher, summary(onTeacher, data.labels())));
    }
    return new StudentsMeasured(
        List.copyOf(students),
        List.copyOf(noise),
        List.copyOf(curve),
        java.util.Collections.unmodifiableMap(throughput),
        trainer.trainings());
  }

  /** Labels with no distribution: people's. */
  private static List<Taught> labelled(List<String> labels) {
    return labels.stream().map(l -> new Taught(l, null)).toList();
  }

  /**
   * The teacher's labels with the distribution each one's confidence states (one-hot where it
   * stated none), as the trainer builds them ({@code TrainingData}); only soft students read it.
   */
  private static List<Taught> taught(List<String> labels, List<Double> confidence) {
    var out = new ArrayList<Taught>(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      out.add(
          new Taught(labels.get(i), SoftTargets.fromConfidence(labels.get(i), confidence.get(i))));
    }
    return out;
  }

  /** A training label and, where the teacher gave one, its distribution over the labels. */
  private record Taught(String label, Map<String, Double> distribution) {}

  /** Each seed's macro-F1 on {@code minuend} minus the same seed's on {@code subtrahend}. */
  private static List<Double> differences(List<SeedRun> minuend, List<SeedRun> subtrahend) {
    var out = new ArrayList<Double>();
    for (int i = 0; i < minuend.size(); i++) {
      out.add(minuend.get(i).score().macroF1() - subtrahend.get(i).score().macroF1());
    }
    return out;
  }

  /** The spread of every number over the runs; per class in the order of {@code labels}. */
  static Summary summary(List<SeedRun> runs, List<String> labels) {
    Function<Function<Score, Double>, Spread> over =
        f -> Spread.of(runs.stream().map(r -> f.apply(r.score())).toList());
    var perClass = new LinkedHashMap<String, ClassSpread>();
    for (var label : labels) {
      var scores =
          runs.stream().map(r -> r.score().perClass().get(label)).filter(c -> c != null).toList();
      if (!scores.isEmpty()) {
        perClass.put(
            label,
            new ClassSpread(
                Spread.of(scores.stream().map(c -> orZero(c.precision())).toList()),
                Spread.of(scores.stream().map(c -> orZero(c.recall())).toList()),
                Spread.of(scores.stream().map(Score.ClassScore::f1).toList())));
      }
    }
    return new Summary(
        over.apply(Score::accuracy),
        over.apply(Score::macroF1),
        over.apply(Score::kappa),
        over.apply(Score::macroPrecision),
        over.apply(Score::macroRecall),
        java.util.Collections.unmodifiableMap(perClass));
  }

  /**
   * A seed for one use of a run's seed (which labels to flip, which texts to keep), so that each
   * use draws independently of the others and of the training's own use of the seed.
   */
  static long derive(long seed, String purpose, double value) {
    return (seed * 31 + purpose.hashCode()) * 1_000_003L + Double.hashCode(value);
  }

  private static double orZero(Double value) {
    return value == null ? 0 : value;
  }

  /** Trains one student, scores it on the test split, and closes it. */
  private static final class Trainer {

    /**
     * @param run the seed's score
     * @param agreement its agreement with people
     * @param intervals bootstrap intervals, when asked for
     * @param textsPerSecond scoring throughput, when asked for
     */
    record Trial(
        SeedRun run, Agreement agreement, TestIntervals intervals, double textsPerSecond) {}

    private final List<String> labels;
    private final List<String> testTexts;
    private final List<String> testHumans;
    private final Bootstrap bootstrap;
    private final Progress progress;
    private int trainings;

    Trainer(List<String> labels, List<Row> test, Bootstrap bootstrap, Progress progress) {
      this.labels = labels;
      this.testTexts = test.stream().map(Row::text).toList();
      this.testHumans = test.stream().map(Row::humanLabel).toList();
      this.bootstrap = bootstrap;
      this.progress = progress;
    }

    /**
     * @param measure also the bootstrap intervals and the scoring throughput
     */
    Trial run(
        StudentKind kind,
        String what,
        List<String> texts,
        List<Taught> trainLabels,
        long seed,
        boolean measure) {
      long start = System.nanoTime();
      var examples = new ArrayList<LabeledExample>(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        var taught = trainLabels.get(i);
        examples.add(new LabeledExample(texts.get(i), taught.label(), taught.distribution()));
      }
      try (var student = kind.train(examples, labels, seed, TrainingProgress.NONE).student()) {
        var predicted = testTexts.stream().map(t -> student.predict(t).label()).toList();
        var agreement = Score.agreement(testHumans, predicted);
        var run = new SeedRun(seed, texts.size(), Score.of(agreement));
        trainings++;
        progress.trained(
            kind.name() + " on " + what + ", " + texts.size() + " texts, seed " + seed,
            run.score().macroF1(),
            System.nanoTime() - start);
        return measure
            ? new Trial(run, agreement, intervals(agreement), textsPerSecond(student))
            : new Trial(run, agreement, null, 0);
      }
    }

    TestIntervals intervals(Agreement agreement) {
      var i = agreement.intervals(bootstrap);
      return new TestIntervals(i.accuracy(), i.macroF1(), i.kappa());
    }

    int trainings() {
      return trainings;
    }

    /**
     * Texts scored per second on this thread, over one second: the test texts in turn, each made
     * unique by a number appended, because a stream's texts are new and a student may cache by text
     * (minilm-head keeps sentence vectors), which would count cache hits as speed.
     */
    private double textsPerSecond(io.distillery.students.Student student) {
      long start = System.nanoTime();
      long scored = 0;
      long elapsed;
      do {
        student.predict(testTexts.get((int) (scored % testTexts.size())) + " " + scored);
        scored++;
        elapsed = System.nanoTime() - start;
      } while (elapsed < 1_000_000_000L);
      return scored / (elapsed / 1e9);
    }
  }
}
