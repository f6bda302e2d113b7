package io.distillery.experiment;

import io.distillery.auditor.agreement.Interval;
import io.distillery.experiment.ExperimentResult.ClassSpread;
import io.distillery.experiment.ExperimentResult.Condition;
import io.distillery.experiment.ExperimentResult.StudentResult;
import io.distillery.schema.GateStatus;
import io.distillery.students.TransformerSettings;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.md}: the experiment's tables, with the verdict first in plain words. Every number
 * is one of {@code results.json}, printed to three decimals; the plots are linked where they
 * belong.
 */
final class MarkdownReport {

  /** The file names of the plots, as {@link ExperimentCommand} writes them. */
  static final String F1_PLOT = "f1-by-condition";

  static final String NOISE_PLOT = "noise";
  static final String SIZE_PLOT = "sample-size";

  private final StringBuilder out = new StringBuilder();

  private MarkdownReport() {}

  /** The report of {@code r}. */
  static String render(ExperimentResult r) {
    var report = new MarkdownReport();
    report.header(r);
    report.teacher(r);
    report.students(r);
    report.noise(r);
    report.sizes(r);
    report.cost(r);
    report.notes(r);
    return report.out.toString();
  }

  private void header(ExperimentResult r) {
    var d = r.dataset();
    var t = r.teacher();
    line("# Experiment: %s", d.name());
    line("");
    line(
        "Data `%s`: %d train and %d test rows, labels %s (codebook: %s). Teacher `%s` (%s), students"
            + " %s, seeds %s.",
        d.file(),
        d.trainRows(),
        d.testRows(),
        String.join(", ", d.labels().stream().map(l -> "`" + l + "`").toList()),
        d.codebook(),
        t.kind(),
        t.model(),
        String.join(", ", r.settings().students()),
        r.settings().seeds());
    line("");
    line("## Verdict");
    line("");
    line(
        "- The teacher agrees with people on %s of the %s split (%d texts): macro-F1 %s %s, κ %s.",
        percent(t.score().accuracy()),
        t.split(),
        t.labelled(),
        f(t.score().macroF1()),
        interval(t.macroF1Interval()),
        f(t.score().kappa()));
    line("- The auditor's gate: **%s** (%s).", t.gate().status(), t.gate().reason());
    if (t.gate().status() != t.gate().qualityStatus()) {
      line(
          "  On the numbers alone, without the minimum of reviewed texts: **%s** (%s).",
          t.gate().qualityStatus(), t.gate().qualityReason());
    }
    boolean qualityFails = t.gate().qualityStatus() == GateStatus.FAIL;
    if (t.gate().pass()) {
      line("- The trainer would distil this teacher.");
    } else if (qualityFails) {
      line(
          "- **Do not distil this teacher**: its labels miss the auditor's bar, and a student"
              + " trained on them learns their mistakes.");
    } else {
      line("- The trainer would not distil yet: too few texts to judge the teacher; review more.");
    }
    for (var s : r.students()) {
      var onTeacher = s.teacherLabels().summary().macroF1().mean();
      var onHumans = s.humanLabels().summary().macroF1().mean();
      line(
          "- `%s`: macro-F1 %s trained on the teacher's labels, %s on people's labels for the same"
              + " %d texts; student(human) − student(teacher) %s, student(teacher) − teacher %s.",
          s.kind(),
          f(onTeacher),
          f(onHumans),
          s.trainSize(),
          signed(s.gapHumanMinusTeacherLabels().mean()),
          signed(s.gapStudentMinusTeacher().mean()));
    }
    line("");
  }

  private void teacher(ExperimentResult r) {
    var t = r.teacher();
    line("## 1. Teacher against people");
    line("");
    line(
        "Measured on %s. %d of its %d rows have a teacher label; the rest are left out. %d texts of"
            + " the dataset got no usable label%s. Intervals: percentile bootstrap, %d resamples"
            + " (seed %d).",
        t.splitNote(),
        t.labelled(),
        t.rows(),
        t.failed(),
        t.failures().isEmpty() ? "" : " (" + String.join("; ", t.failures()) + ")",
        r.settings().bootstrapResamples(),
        r.settings().bootstrapSeed());
    line("");
    line("| metric | value | 95 %% interval |");
    line("|---|---|---|");
    line("| accuracy | %s | %s |", f(t.score().accuracy()), interval(t.accuracyInterval()));
    line("| macro-F1 | %s | %s |", f(t.score().macroF1()), interval(t.macroF1Interval()));
    line("| Cohen's κ | %s | %s |", f(t.score().kappa()), interval(t.kappaInterval()));
    line("| macro-precision | %s | |", f(t.score().macroPrecision()));
    line("| macro-recall | %s | |", f(t.score().macroRecall()));
    line("");
    line("| label | people gave it | teacher gave it | precision | recall | F1 |");
    line("|---|---|---|---|---|---|");
    t.score()
        .perClass()
        .forEach(
            (label, c) ->
                line(
                    "| %s | %d | %d | %s | %s | %s |",
                    label,
                    c.support(),
                    c.predicted(),
                    c.precision() == null ? "–" : f(c.precision()),
                    c.recall() == null ? "–" : f(c.recall()),
                    f(c.f1())));
    var g = r.settings().gate();
    line("");
    line(
        "Gate thresholds (the auditor's defaults): at least %d reviewed, macro-F1 ≥ %s, κ ≥ %s,"
            + " every class with %d or more items precision ≥ %s and recall ≥ %s.",
        g.minReviewed(),
        f(g.minMacroF1()),
        f(g.minKappa()),
        g.minClassItems(),
        f(g.minClassPrecision()),
        f(g.minClassRecall()));
    line("");
  }

  private void students(ExperimentResult r) {
    line("## 2. Students: teacher labels against people's labels");
    line("");
    line(
        "Each student is trained on the %s train texts the teacher labelled, once with the"
            + " teacher's labels and once with people's, under each seed, and scored against people"
            + " on the test split (%d texts). Value: mean over %d seed(s); brackets: 95 %% interval"
            + " of that mean over the seeds (Student's t); last column: bootstrap 95 %% interval of"
            + " the first seed's macro-F1 over the test texts.",
        r.students().isEmpty() ? "" : r.students().get(0).trainSize(),
        r.dataset().testRows(),
        r.settings().seeds().size());
    line("");
    line(
        "| student | trained on | accuracy | macro-F1 | macro-precision | macro-recall | κ |"
            + " macro-F1, test-set 95 %% |");
    line("|---|---|---|---|---|---|---|---|");
    var t = r.teacher();
    line(
        "| teacher (%s split) | — | %s | %s | %s | %s | %s | %s |",
        t.split(),
        f(t.score().accuracy()),
        f(t.score().macroF1()),
        f(t.score().macroPrecision()),
        f(t.score().macroRecall()),
        f(t.score().kappa()),
        interval(t.macroF1Interval()));
    for (var s : r.students()) {
      conditionRow(s, s.teacherLabels());
      conditionRow(s, s.humanLabels());
    }
    line("");
    line("| student | student(human) − student(teacher) | student(teacher) − teacher |");
    line("|---|---|---|");
    for (var s : r.students()) {
      line(
          "| %s | %s | %s |",
          s.kind(),
          spread(s.gapHumanMinusTeacherLabels(), true),
          spread(s.gapStudentMinusTeacher(), true));
    }
    line("");
    line("Precision and recall per label (mean over seeds):");
    line("");
    line("| student | trained on | label | precision | recall | F1 |");
    line("|---|---|---|---|---|---|");
    for (var s : r.students()) {
      for (var c : List.of(s.teacherLabels(), s.humanLabels())) {
        for (var e : c.summary().perClass().entrySet()) {
          ClassSpread cs = e.getValue();
          line(
              "| %s | %s | %s | %s | %s | %s |",
              s.kind(),
              source(c),
              e.getKey(),
              f(cs.precision().mean()),
              f(cs.recall().mean()),
              f(cs.f1().mean()));
        }
      }
    }
    line("");
    line("![macro-F1 by condition](%s.png) ([SVG](%s.svg))", F1_PLOT, F1_PLOT);
    line("");
  }

  private void conditionRow(StudentResult s, Condition c) {
    var m = c.summary();
    line(
        "| %s | %s | %s | %s | %s | %s | %s | %s |",
        s.kind(),
        source(c),
        spread(m.accuracy(), false),
        spread(m.macroF1(), false),
        spread(m.macroPrecision(), false),
        spread(m.macroRecall(), false),
        spread(m.kappa(), false),
        c.firstSeedIntervals() == null ? "–" : interval(c.firstSeedIntervals().macroF1()));
  }

  private void noise(ExperimentResult r) {
    line("## 3. Label noise");
    line("");
    line(
        "A share of the teacher's training labels is flipped at random, each to another label"
            + " (exactly that share; other labels for each seed), and the student retrained; scored"
            + " against people on the test split.");
    line("");
    line("| student | share flipped | labels flipped | accuracy | macro-F1 |");
    line("|---|---|---|---|---|");
    for (var p : r.noise()) {
      line(
          "| %s | %s | %d | %s | %s |",
          p.kind(),
          percent(p.share()),
          p.flipped(),
          spread(p.summary().accuracy(), false),
          spread(p.summary().macroF1(), false));
    }
    line("");
    line("![macro-F1 against label noise](%s.png) ([SVG](%s.svg))", NOISE_PLOT, NOISE_PLOT);
    line("");
  }

  private void sizes(ExperimentResult r) {
    line("## 4. Sample size");
    line("");
    line(
        "The student on a random sample of the teacher's training labels (another sample for each"
            + " seed). Sizes asked for: %s; those not below the %s labels there are were skipped.",
        r.settings().sizes(), r.students().isEmpty() ? "?" : r.students().get(0).trainSize());
    line("");
    line("| student | teacher labels | accuracy | macro-F1 |");
    line("|---|---|---|---|");
    for (var p : r.sampleSizes()) {
      line(
          "| %s | %d%s | %s | %s |",
          p.kind(),
          p.size(),
          p.all() ? " (all)" : "",
          spread(p.summary().accuracy(), false),
          spread(p.summary().macroF1(), false));
    }
    line("");
    line(
        "![macro-F1 against the number of teacher labels](%s.png) ([SVG](%s.svg))",
        SIZE_PLOT, SIZE_PLOT);
    line("");
  }

  private void cost(ExperimentResult r) {
    var c = r.cost();
    line("## 5. Cost");
    line("");
    line(
        "The teacher for every text, against the teacher for the student's %d training texts and"
            + " the student for the rest. %s",
        c.teacherSample(), c.note());
    line("");
    var throughput =
        String.join(
            ", ",
            c.throughput().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.0f texts/s", e.getKey(), e.getValue()))
                .toList());
    line("Student throughput measured here, one thread, on texts it had not seen: %s.", throughput);
    line("");
    line(
        "| texts | teacher for all | hours | student | teacher sample + student | hours | saved |");
    line("|---|---|---|---|---|---|---|");
    for (var row : c.rows()) {
      line(
          "| %,d | %s | %s | %s | %s | %s | %s |",
          row.texts(),
          usd(row.teacherAllUsd()),
          hours(row.teacherAllHours()),
          row.kind(),
          usd(row.mixedUsd()),
          hours(row.mixedHours()),
          row.savedShare() == null
              ? "–"
              : String.format(Locale.ROOT, "%.2f %%", row.savedShare() * 100));
    }
    line("");
  }

  private void notes(ExperimentResult r) {
    line("## Reproduce");
    line("");
    line(
        "`./distillery experiment --data %s --teacher %s --students %s --noise %s --seeds %d"
            + " --sizes %s%s%s%s --out DIR` gives the same numbers (`results.json` holds every one, with"
            + " each seed's); only the throughput, the cost table's student side and the timings"
            + " change. This run: %.0f s, %d student trainings.",
        r.dataset().file(),
        r.settings().teacher(),
        String.join(",", r.settings().students()),
        String.join(",", r.settings().noise().stream().map(String::valueOf).toList()),
        r.settings().seeds().size(),
        String.join(",", r.settings().sizes().stream().map(String::valueOf).toList()),
        r.settings().students().stream().anyMatch(s -> s.endsWith(SoftVariant.SUFFIX))
            ? " --temperature " + r.settings().temperature()
            : "",
        r.settings().students().stream().anyMatch(s -> s.startsWith(SoftVariant.base()))
                && !r.settings().encoder().equals(TransformerSettings.DEFAULT.pretrained())
            ? " --encoder " + r.settings().encoder()
            : "",
        r.settings().students().stream()
                .anyMatch(
                    s -> s.endsWith(CorrectedVariant.SUFFIX) || s.endsWith(AuditedVariant.SUFFIX))
            ? " --audit " + r.settings().audit()
            : "",
        r.timing().totalSeconds(),
        r.timing().trainings());
  }

  private static String source(Condition c) {
    return c.labels().equals("teacher") ? "teacher labels" : "human labels";
  }

  /** Three decimals, the form every number of the report takes. */
  static String f(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  static String signed(double value) {
    return String.format(Locale.ROOT, "%+.3f", value);
  }

  static String interval(Interval i) {
    return i == null ? "–" : "[" + f(i.lower()) + ", " + f(i.upper()) + "]";
  }

  static String spread(Spread s, boolean sign) {
    var mean = sign ? signed(s.mean()) : f(s.mean());
    return s.n() < 2
        ? mean
        : mean
            + " ["
            + (sign ? signed(s.lower()) : f(s.lower()))
            + ", "
            + (sign ? signed(s.upper()) : f(s.upper()))
            + "]";
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", share * 100);
  }

  private static String usd(Double value) {
    return value == null ? "–" : String.format(Locale.ROOT, "$%,.2f", value);
  }

  private static String hours(double value) {
    return String.format(Locale.ROOT, "%,.2f", value);
  }

  private void line(String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
