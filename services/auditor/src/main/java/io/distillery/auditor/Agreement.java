package io.distillery.auditor;

import io.distillery.schema.ClassAgreement;
import io.distillery.schema.ConfidenceInterval;
import io.distillery.schema.GateStatus;
import io.distillery.schema.QualityReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Teacher-versus-human counts for one task and prompt version: the confusion matrix (human label,
 * then teacher label), from which every agreement number is derived. People are the reference:
 * precision is "of the items the teacher gave a label, how many people gave it too", recall the
 * other way round. Immutable ({@link #add} and {@link #remove} return a new value) and a plain JSON
 * document of its three components, as the Streams aggregate store keeps it.
 *
 * @param task the task
 * @param promptVersion the prompt version whose labels were checked
 * @param confusion human label to teacher label to count; only positive counts are kept
 */
public record Agreement(
    String task, String promptVersion, Map<String, Map<String, Long>> confusion) {

  /**
   * Thresholds of the gate.
   *
   * @param minReviewed fewer reviewed items leave the gate at INSUFFICIENT_DATA
   * @param minMacroF1 the gate fails below this macro-F1
   * @param minKappa the gate fails below this Cohen's kappa
   * @param minClassItems a class's precision is held to its floor once the teacher gave the label
   *     to this many reviewed items, its recall once people did
   * @param minClassPrecision the floor of every class's precision
   * @param minClassRecall the floor of every class's recall
   */
  public record Gate(
      int minReviewed,
      double minMacroF1,
      double minKappa,
      int minClassItems,
      double minClassPrecision,
      double minClassRecall) {

    /** The thresholds in {@code config}. */
    public static Gate of(AuditorConfig config) {
      return new Gate(
          config.minReviewed(),
          config.minMacroF1(),
          config.minKappa(),
          config.minClassItems(),
          config.minClassPrecision(),
          config.minClassRecall());
    }
  }

  /**
   * What the gate says, and why.
   *
   * @param status INSUFFICIENT_DATA, PASS or FAIL
   * @param reason the count still needed, every threshold missed, or the thresholds met
   */
  public record GateDecision(GateStatus status, String reason) {}

  /**
   * The teacher against people on one label.
   *
   * @param support reviewed items people gave the label
   * @param predicted reviewed items the teacher gave the label
   * @param agreed items both gave the label
   * @param precision agreed / predicted; null when the teacher never gave the label
   * @param recall agreed / support; null when people never gave the label
   * @param f1 2 agreed / (predicted + support)
   */
  public record ClassMetrics(
      long support, long predicted, long agreed, Double precision, Double recall, double f1) {}

  /**
   * 95 % bootstrap intervals.
   *
   * @param accuracy of the accuracy
   * @param macroF1 of the macro-F1
   * @param kappa of Cohen's kappa
   */
  public record Intervals(Interval accuracy, Interval macroF1, Interval kappa) {}

  public Agreement {
    var copy = new TreeMap<String, Map<String, Long>>();
    if (confusion != null) {
      confusion.forEach(
          (human, row) -> {
            var counts = new TreeMap<String, Long>();
            row.forEach(
                (teacher, n) -> {
                  if (n != null && n > 0) {
                    counts.put(teacher, n);
                  }
                });
            if (!counts.isEmpty()) {
              copy.put(human, Collections.unmodifiableSortedMap(counts));
            }
          });
    }
    confusion = Collections.unmodifiableSortedMap(copy);
  }

  /** No reviews yet. */
  public static Agreement empty() {
    return new Agreement(null, null, Map.of());
  }

  /** Counts one reviewed item. */
  public Agreement add(ReviewedLabel item) {
    return new Agreement(item.task(), item.promptVersion(), changed(item, 1));
  }

  /** Uncounts one reviewed item, when its verdict or teacher label was replaced or withdrawn. */
  public Agreement remove(ReviewedLabel item) {
    return new Agreement(item.task(), item.promptVersion(), changed(item, -1));
  }

  private Map<String, Map<String, Long>> changed(ReviewedLabel item, long delta) {
    var copy = new HashMap<String, Map<String, Long>>();
    confusion.forEach((human, row) -> copy.put(human, new HashMap<>(row)));
    // Counts that reach zero are dropped by the constructor.
    copy.computeIfAbsent(item.humanLabel(), k -> new HashMap<>())
        .merge(item.teacherLabel(), delta, Long::sum);
    return copy;
  }

  /** Items reviewed. */
  public long reviewed() {
    return matrix().total();
  }

  /** Items where the teacher agreed with the human. */
  public long agreed() {
    return confusion.entrySet().stream()
        .mapToLong(e -> e.getValue().getOrDefault(e.getKey(), 0L))
        .sum();
  }

  /** Share of agreement, or null with no reviews. */
  public Double accuracy() {
    return reviewed() == 0 ? null : matrix().scores().accuracy();
  }

  /**
   * Mean per-label F1 of the teacher against people, over labels either side used; null with no
   * reviews.
   */
  public Double macroF1() {
    return reviewed() == 0 ? null : matrix().scores().macroF1();
  }

  /**
   * Cohen's kappa between teacher and people; null with no reviews, 1 when chance agreement is
   * total and observed.
   */
  public Double kappa() {
    return reviewed() == 0 ? null : matrix().scores().kappa();
  }

  /** Precision, recall and F1 per label either side used, in label order. */
  public SortedMap<String, ClassMetrics> perClass() {
    var matrix = matrix();
    var out = new TreeMap<String, ClassMetrics>();
    for (int i = 0; i < matrix.labels().size(); i++) {
      long support = matrix.rowSum(i);
      long predicted = matrix.columnSum(i);
      long agreed = matrix.count(i, i);
      out.put(
          matrix.labels().get(i),
          new ClassMetrics(
              support,
              predicted,
              agreed,
              predicted == 0 ? null : (double) agreed / predicted,
              support == 0 ? null : (double) agreed / support,
              2.0 * agreed / (predicted + support)));
    }
    return out;
  }

  /** Teacher label to count over the reviewed items. */
  public SortedMap<String, Long> teacherMix() {
    var mix = new TreeMap<String, Long>();
    perClass().forEach((label, c) -> mix.put(label, c.predicted()));
    return mix;
  }

  /** Human label to count over the same items. */
  public SortedMap<String, Long> humanMix() {
    var mix = new TreeMap<String, Long>();
    perClass().forEach((label, c) -> mix.put(label, c.support()));
    return mix;
  }

  /**
   * 95 % percentile-bootstrap intervals of accuracy, macro-F1 and kappa; null with no reviews.
   * Reproducible: the same counts and settings always give the same intervals.
   */
  public Intervals intervals(Bootstrap bootstrap) {
    return bootstrap.intervals(matrix());
  }

  /**
   * The gate for this prompt version under the thresholds: INSUFFICIENT_DATA below the minimum
   * reviewed; FAIL when macro-F1 or kappa is below its threshold, or any class with enough items
   * has precision or recall below its floor; PASS otherwise.
   */
  public GateDecision gate(Gate gate) {
    long n = reviewed();
    if (n == 0 || n < gate.minReviewed()) {
      return new GateDecision(
          GateStatus.INSUFFICIENT_DATA,
          n + " reviewed, " + Math.max(1, gate.minReviewed()) + " needed");
    }
    var failures = new ArrayList<String>();
    if (macroF1() < gate.minMacroF1()) {
      failures.add(format("macro-F1 %.3f is below %.3f", macroF1(), gate.minMacroF1()));
    }
    if (kappa() < gate.minKappa()) {
      failures.add(format("kappa %.3f is below %.3f", kappa(), gate.minKappa()));
    }
    perClass()
        .forEach(
            (label, c) -> {
              if (c.predicted() >= Math.max(1, gate.minClassItems())
                  && c.precision() < gate.minClassPrecision()) {
                failures.add(
                    format(
                        "precision of '%s' %.3f (%d teacher labels) is below %.3f",
                        label, c.precision(), c.predicted(), gate.minClassPrecision()));
              }
              if (c.support() >= Math.max(1, gate.minClassItems())
                  && c.recall() < gate.minClassRecall()) {
                failures.add(
                    format(
                        "recall of '%s' %.3f (%d human labels) is below %.3f",
                        label, c.recall(), c.support(), gate.minClassRecall()));
              }
            });
    if (!failures.isEmpty()) {
      return new GateDecision(GateStatus.FAIL, String.join("; ", failures));
    }
    return new GateDecision(
        GateStatus.PASS,
        format(
            "%d reviewed; macro-F1 %.3f >= %.3f; kappa %.3f >= %.3f; every class with %d or more"
                + " items has precision >= %.3f and recall >= %.3f",
            n,
            macroF1(),
            gate.minMacroF1(),
            kappa(),
            gate.minKappa(),
            gate.minClassItems(),
            gate.minClassPrecision(),
            gate.minClassRecall()));
  }

  /** The report published on the quality topic. */
  public QualityReport toReport(GateDecision decision, Bootstrap bootstrap, Instant now) {
    var matrix = new HashMap<String, Map<String, Long>>();
    confusion.forEach((human, row) -> matrix.put(human, new HashMap<>(row)));
    var perClass = new HashMap<String, ClassAgreement>();
    perClass()
        .forEach(
            (label, c) ->
                perClass.put(
                    label,
                    ClassAgreement.newBuilder()
                        .setSupport(c.support())
                        .setPredicted(c.predicted())
                        .setAgreed(c.agreed())
                        .setPrecision(c.precision())
                        .setRecall(c.recall())
                        .setF1(c.f1())
                        .build()));
    var intervals = intervals(bootstrap);
    return QualityReport.newBuilder()
        .setTask(task)
        .setPromptVersion(promptVersion)
        .setReviewed(reviewed())
        .setAgreed(agreed())
        .setAccuracy(accuracy())
        .setMacroF1(macroF1())
        .setKappa(kappa())
        .setConfusion(matrix)
        .setGate(decision.status())
        .setGateReason(decision.reason())
        .setPerClass(perClass)
        .setTeacherMix(new HashMap<>(teacherMix()))
        .setHumanMix(new HashMap<>(humanMix()))
        .setAccuracyInterval(intervals == null ? null : avro(intervals.accuracy()))
        .setMacroF1Interval(intervals == null ? null : avro(intervals.macroF1()))
        .setKappaInterval(intervals == null ? null : avro(intervals.kappa()))
        .setBootstrapResamples(bootstrap.resamples())
        .setBootstrapSeed(bootstrap.seed())
        .setGeneratedAt(now)
        .build();
  }

  private ConfusionMatrix matrix() {
    return ConfusionMatrix.of(confusion);
  }

  private static ConfidenceInterval avro(Interval interval) {
    return ConfidenceInterval.newBuilder()
        .setLower(interval.lower())
        .setUpper(interval.upper())
        .build();
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
