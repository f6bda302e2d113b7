package io.distillery.experiment;

import io.distillery.experiment.ExperimentResult.NoisePoint;
import io.distillery.experiment.ExperimentResult.SizePoint;
import io.distillery.experiment.ExperimentResult.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The three plots of an experiment, from its result: macro-F1 by condition, macro-F1 against label
 * noise, macro-F1 against the number of teacher labels. Whiskers: the teacher's bootstrap interval,
 * the students' interval over seeds.
 */
final class Charts {

  private Charts() {}

  /** Teacher, then each student on teacher labels and on people's labels; the gate's bar. */
  static org.jfree.chart.JFreeChart f1ByCondition(ExperimentResult r) {
    var t = r.teacher();
    var bars = new ArrayList<Plots.Bar>();
    bars.add(
        new Plots.Bar(
            "teacher (" + t.kind() + ", " + t.split() + " split)",
            t.score().macroF1(),
            t.macroF1Interval() == null ? null : t.macroF1Interval().lower(),
            t.macroF1Interval() == null ? null : t.macroF1Interval().upper(),
            Plots.GREY));
    for (var s : r.students()) {
      bars.add(
          bar(s.kind() + " on teacher labels", s.teacherLabels().summary(), Plots.PALETTE.get(1)));
      bars.add(bar(s.kind() + " on human labels", s.humanLabels().summary(), Plots.PALETTE.get(0)));
    }
    return Plots.bars(
        r.dataset().name() + ": macro-F1 against people (test split)",
        "macro-F1; whiskers: teacher bootstrap 95 %, students 95 % over seeds",
        bars,
        List.of(
            new Plots.Reference(
                "gate " + MarkdownReport.f(r.settings().gate().minMacroF1()),
                r.settings().gate().minMacroF1(),
                Plots.PALETTE.get(5))));
  }

  /** One line per student kind over the share flipped. */
  static org.jfree.chart.JFreeChart noise(ExperimentResult r) {
    var series = new ArrayList<Plots.Series>();
    var kinds = kinds(r);
    for (int i = 0; i < kinds.size(); i++) {
      var kind = kinds.get(i);
      var points = r.noise().stream().filter(p -> p.kind().equals(kind)).toList();
      series.add(
          new Plots.Series(
              kind + " on teacher labels",
              colour(i),
              points(points, NoisePoint::share, NoisePoint::summary)));
    }
    return Plots.lines(
        r.dataset().name() + ": macro-F1 as training labels are flipped",
        "share of teacher labels flipped",
        "macro-F1 against people",
        false,
        series,
        references(r));
  }

  /** One line per student kind over the number of teacher labels, on a log axis. */
  static org.jfree.chart.JFreeChart sampleSize(ExperimentResult r) {
    var series = new ArrayList<Plots.Series>();
    var kinds = kinds(r);
    for (int i = 0; i < kinds.size(); i++) {
      var kind = kinds.get(i);
      var points = r.sampleSizes().stream().filter(p -> p.kind().equals(kind)).toList();
      series.add(
          new Plots.Series(
              kind + " on teacher labels",
              colour(i),
              points(points, p -> (double) p.size(), SizePoint::summary)));
    }
    return Plots.lines(
        r.dataset().name() + ": macro-F1 by number of teacher labels",
        "teacher labels trained on (log scale)",
        "macro-F1 against people",
        true,
        series,
        references(r));
  }

  private static Plots.Bar bar(String label, Summary summary, java.awt.Color colour) {
    var f1 = summary.macroF1();
    return new Plots.Bar(
        label,
        f1.mean(),
        f1.hasInterval() ? f1.lower() : null,
        f1.hasInterval() ? f1.upper() : null,
        colour);
  }

  private static <P> List<Plots.Point> points(
      List<P> points, Function<P, Double> x, Function<P, Summary> summary) {
    return points.stream()
        .map(
            p -> {
              var f1 = summary.apply(p).macroF1();
              return new Plots.Point(x.apply(p), f1.mean(), f1.lower(), f1.upper());
            })
        .toList();
  }

  /**
   * The teacher's macro-F1 and each student's on people's labels, as dashed lines in the colour of
   * the student's own line, so each curve is read against its own ceiling.
   */
  private static List<Plots.Reference> references(ExperimentResult r) {
    var refs = new ArrayList<Plots.Reference>();
    refs.add(new Plots.Reference("teacher", r.teacher().score().macroF1(), Plots.GREY));
    for (int i = 0; i < r.students().size(); i++) {
      var s = r.students().get(i);
      refs.add(
          new Plots.Reference(
              s.kind() + " on human labels",
              s.humanLabels().summary().macroF1().mean(),
              colour(i)));
    }
    return refs;
  }

  /** The colour of the i-th student kind, its line and its human-label reference alike. */
  private static java.awt.Color colour(int i) {
    return Plots.PALETTE.get(i % Plots.PALETTE.size());
  }

  private static List<String> kinds(ExperimentResult r) {
    return r.students().stream().map(ExperimentResult.StudentResult::kind).toList();
  }
}
