package io.distillery.experiment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.experiment.ExperimentResult.SizePoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code ./distillery experiment-summary DIR...}: one Markdown table over several experiments (the
 * {@code results.json} in each directory), one row per dataset and student kind, and a second one
 * with precision, recall and the two curves; what {@code docs/results.md} shows. Numbers are
 * printed as the experiment's own report prints them, so each can be found in its {@code
 * report.md}.
 */
public final class SummaryTable {

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SummaryTable() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: distillery experiment-summary DIR... (each holding results.json)");
      System.exit(2);
    }
    var results = new ArrayList<ExperimentResult>();
    for (var dir : args) {
      try {
        results.add(read(Path.of(dir)));
      } catch (IOException e) {
        System.err.println(
            "error: cannot read " + Path.of(dir).resolve(ExperimentCommand.RESULTS) + ": " + e);
        System.exit(1);
      }
    }
    System.out.print(render(results));
  }

  /** The result an experiment wrote into {@code dir}. */
  static ExperimentResult read(Path dir) throws IOException {
    return JSON.readValue(dir.resolve(ExperimentCommand.RESULTS).toFile(), ExperimentResult.class);
  }

  /** Both tables. */
  static String render(List<ExperimentResult> results) {
    var out = new StringBuilder();
    out.append(
        "| dataset | student | train texts | teacher measured on | teacher accuracy | teacher"
            + " macro-F1 | teacher κ | student(teacher) macro-F1 | student(human) macro-F1 |"
            + " student(human) − student(teacher) | student(teacher) − teacher | auditor's gate |"
            + " distil? |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (var r : results) {
      var t = r.teacher();
      for (var s : r.students()) {
        out.append(
            row(
                r.dataset().name(),
                s.kind(),
                String.valueOf(s.trainSize()),
                t.split() + " (" + t.labelled() + ")",
                f(t.score().accuracy()) + " " + MarkdownReport.interval(t.accuracyInterval()),
                f(t.score().macroF1()) + " " + MarkdownReport.interval(t.macroF1Interval()),
                f(t.score().kappa()),
                MarkdownReport.spread(s.teacherLabels().summary().macroF1(), false),
                MarkdownReport.spread(s.humanLabels().summary().macroF1(), false),
                MarkdownReport.spread(s.gapHumanMinusTeacherLabels(), true),
                MarkdownReport.spread(s.gapStudentMinusTeacher(), true),
                gate(t.gate()),
                t.gate().pass() ? "yes" : "**no**"));
      }
    }
    out.append("\n");
    out.append(
        "| dataset | student | macro-P / macro-R on teacher labels | macro-P / macro-R on human"
            + " labels | macro-F1 by share of labels flipped | macro-F1 by number of teacher"
            + " labels |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (var r : results) {
      for (var s : r.students()) {
        var onTeacher = s.teacherLabels().summary();
        var onHumans = s.humanLabels().summary();
        out.append(
            row(
                r.dataset().name(),
                s.kind(),
                f(onTeacher.macroPrecision().mean()) + " / " + f(onTeacher.macroRecall().mean()),
                f(onHumans.macroPrecision().mean()) + " / " + f(onHumans.macroRecall().mean()),
                r.noise().stream()
                    .filter(p -> p.kind().equals(s.kind()))
                    .map(
                        p ->
                            String.format(Locale.ROOT, "%.0f %%: ", p.share() * 100)
                                + f(p.summary().macroF1().mean()))
                    .collect(Collectors.joining(", ")),
                r.sampleSizes().stream()
                    .filter(p -> p.kind().equals(s.kind()))
                    .map(SummaryTable::size)
                    .collect(Collectors.joining(", "))));
      }
    }
    return out.toString();
  }

  private static String size(SizePoint p) {
    return (p.all() ? "all " + p.size() : String.valueOf(p.size()))
        + ": "
        + f(p.summary().macroF1().mean());
  }

  private static String gate(ExperimentResult.GateResult gate) {
    return gate.status() == gate.qualityStatus()
        ? gate.status().name()
        : gate.status() + "; on the numbers alone " + gate.qualityStatus();
  }

  private static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private static String f(double value) {
    return MarkdownReport.f(value);
  }
}
