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
  static String f1ByCondition(ExperimentResult r) {
    var t = r.teacher();
    var bars = new ArrayList<Svg.Bar>();
    bars.add(
        new Svg.Bar(
            "teacher (" + t.kind() + ", " + t.split() + " split)",
            t.score().macroF1(),
            t.macroF1Interval() == null ? null : t.macroF1Interval().lower(),
            t.macroF1Interval() == null ? null : t.macroF1Interval().upper(),
            Svg.GREY));
    for (var s : r.students()) {
      bars.add(
          bar(s.kind() + " on teacher labels", s.teacherLabels().summary(), Svg.PALETTE.get(1)));
      bars.add(bar(s.kind() + " on human labels", s.humanLabels().summary(), Svg.PALETTE.get(0)));
    }
    return Svg.bars(
        r.dataset().name() + ": macro-F1 against people (test split)",
        "macro-F1; whiskers: teacher bootstrap 95 %, students 95 % over seeds",
        bars,
        List.of(
            new Svg.Reference(
                "gate " + MarkdownReport.f(r.settings().gate().minMacroF1()),
                r.settings().gate().minMacroF1(),
                Svg.PALETTE.get(5))));
  }

  /** One line per student kind over the share flipped. */
  static String noise(ExperimentResult r) {
    var series = new ArrayList<Svg.Series>();
    var kinds = kinds(r);
    for (int i = 0; i < kinds.size(); i++) {
      var kind = kinds.get(i);
      var points = r.noise().stream().filter(p -> p.kind().equals(kind)).toList();
      series.add(
          new Svg.Series(
              kind + " on teacher labels",
              colour(i),
              points(points, NoisePoint::share, NoisePoint::summary)));
    }
    return Svg.lines(
        r.dataset().name() + ": macro-F1 as training labels are flipped",
        "share of teacher labels flipped",
        "macro-F1 against people",
        false,
        series,
        references(r));
  }

  /** One line per student kind over the number of teacher labels, on a log axis. */
  static String sampleSize(ExperimentResult r) {
    var series = new ArrayList<Svg.Series>();
    var kinds = kinds(r);
    for (int i = 0; i < kinds.size(); i++) {
      var kind = kinds.get(i);
      var points = r.sampleSizes().stream().filter(p -> p.kind().equals(kind)).toList();
      series.add(
          new Svg.Series(
              kind + " on teacher labels",
              colour(i),
              points(points, p -> (double) p.size(), SizePoint::summary)));
    }
    return Svg.lines(
        r.dataset().name() + ": macro-F1 by number of teacher labels",
        "teacher labels trained on (log scale)",
        "macro-F1 against people",
        true,
        series,
        references(r));
  }

  private static Svg.Bar bar(String label, Summary summary, String colour) {
    var f1 = summary.macroF1();
    return new Svg.Bar(
        label,
        f1.mean(),
        f1.hasInterval() ? f1.lower() : null,
        f1.hasInterval() ? f1.upper() : null,
        colour);
  }

  private static <P> List<Svg.Point> points(
      List<P> points, Function<P, Double> x, Function<P, Summary> summary) {
    return points.stream()
        .map(
            p -> {
              var f1 = summary.apply(p).macroF1();
              return new Svg.Point(x.apply(p), f1.mean(), f1.lower(), f1.upper());
            })
        .toList();
  }

  /**
   * The teacher's macro-F1 and each student's on people's labels, as dashed lines in the colour of
   * the student's own line, so each curve is read against its own ceiling.
   */
  private static List<Svg.Reference> references(ExperimentResult r) {
    var refs = new ArrayList<Svg.Reference>();
    refs.add(new Svg.Reference("teacher", r.teacher().score().macroF1(), Svg.GREY));
    for (int i = 0; i < r.students().size(); i++) {
      var s = r.students().get(i);
      refs.add(
          new Svg.Reference(
              s.kind() + " on human labels",
              s.humanLabels().summary().macroF1().mean(),
              colour(i)));
    }
    return refs;
  }

  /** The colour of the i-th student kind, its line and its human-label reference alike. */
  private static String colour(int i) {
    return Svg.PALETTE.get(i % Svg.PALETTE.size());
  }

  private static List<String> kinds(ExperimentResult r) {
    return r.students().stream().map(ExperimentResult.StudentResult::kind).toList();
  }
}
