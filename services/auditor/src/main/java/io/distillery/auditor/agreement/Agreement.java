package io.distillery.auditor.agreement;

import io.distillery.auditor.AuditorConfig;
import io.distillery.schema.ClassAgreement;
import io.distillery.schema.ConfidenceInterval;
import io.distillery.schema.GateStatus;
import io.distillery.schema.QualityReport;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * other way round. Beside it, the same counts per UTC day of review (for the sliding window) and
 * the first reviewer against the second where two people reviewed an item. Immutable ({@link #add}
 * and {@link #remove} return a new value) and a plain JSON document of its components, as the
 * Streams aggregate store keeps it.
 *
 * @param task the task
 * @param promptVersion the prompt version whose labels were checked
 * @param confusion human label to teacher label to count; only positive counts are kept
 * @param humans first reviewer's label to second reviewer's label to count, over items two people
 *     reviewed
 * @param daily ISO day of the first review to that day's confusion counts; days more than {@link
 *     #RETAINED_DAYS} before the newest are dropped
 */
public record Agreement(
    String task,
    String promptVersion,
    Map<String, Map<String, Long>> confusion,
    Map<String, Map<String, Long>> humans,
    Map<String, Map<String, Map<String, Long>>> daily) {

  /** Days of per-day counts kept: the longest sliding window there can be. */
  public static final int RETAINED_DAYS = 366;

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
    confusion = positive(confusion);
    humans = positive(humans);
    var days = new TreeMap<String, Map<String, Map<String, Long>>>();
    if (daily != null) {
      daily.forEach(
          (day, counts) -> {
            var kept = positive(counts);
            if (!kept.isEmpty()) {
              days.put(day, kept);
            }
          });
    }
    if (!days.isEmpty()) {
      var oldest = LocalDate.parse(days.lastKey()).minusDays(RETAINED_DAYS - 1L).toString();
      days.headMap(oldest).clear();
    }
    daily = Collections.unmodifiableSortedMap(days);
  }

  /** Counts of one reviewed item's teacher and people only, with no days or second reviews. */
  public Agreement(String task, String promptVersion, Map<String, Map<String, Long>> confusion) {
    this(task, promptVersion, confusion, Map.of(), Map.of());
  }

  /** No reviews yet. */
  public static Agreement empty() {
    return new Agreement(null, null, Map.of());
  }

  /** Counts one reviewed item. */
  public Agreement add(ReviewedLabel item) {
    return changed(item, 1);
  }

  /** Uncounts one reviewed item, when its verdict or teacher label was replaced or withdrawn. */
  public Agreement remove(ReviewedLabel item) {
    return changed(item, -1);
  }

  private Agreement changed(ReviewedLabel item, long delta) {
    // Counts that reach zero are dropped by the constructor.
    var day =
        LocalDate.ofInstant(Instant.ofEpochMilli(item.decidedAt()), ZoneOffset.UTC).toString();
    var days = new HashMap<String, Map<String, Map<String, Long>>>(daily);
    days.put(
        day,
        changed(daily.getOrDefault(day, Map.of()), item.humanLabel(), item.teacherLabel(), delta));
    return new Agreement(
        item.task(),
        item.promptVersion(),
        changed(confusion, item.humanLabel(), item.teacherLabel(), delta),
        item.secondHumanLabel() == null
            ? humans
            : changed(humans, item.humanLabel(), item.secondHumanLabel(), delta),
        days);
  }

  private static Map<String, Map<String, Long>> changed(
      Map<String, Map<String, Long>> counts, String row, String column, long delta) {
    var copy = new HashMap<String, Map<String, Long>>();
    counts.forEach((r, cells) -> copy.put(r, new HashMap<>(cells)));
    copy.computeIfAbsent(row, k -> new HashMap<>()).merge(column, delta, Long::sum);
    return copy;
  }

  /** A sorted, unmodifiable copy with only the positive counts. */
  private static SortedMap<String, Map<String, Long>> positive(
      Map<String, Map<String, Long>> counts) {
    var copy = new TreeMap<String, Map<String, Long>>();
    if (counts != null) {
      counts.forEach(
          (row, cells) -> {
            var kept = new TreeMap<String, Long>();
            cells.forEach(
                (column, n) -> {
                  if (n != null && n > 0) {
                    kept.put(column, n);
                  }
                });
            if (!kept.isEmpty()) {
              copy.put(row, Collections.unmodifiableSortedMap(kept));
            }
          });
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  /**
   * The teacher against people over the items first reviewed in the {@code days} UTC days up to and
   * including {@code today}; no second reviews or per-day counts.
   */
  public Agreement window(LocalDate today, int days) {
    var from = today.minusDays(days - 1L).toString();
    var to = today.toString();
    var sum = new HashMap<String, Map<String, Long>>();
    daily.forEach(
        (day, counts) -> {
          if (day.compareTo(from) >= 0 && day.compareTo(to) <= 0) {
            counts.forEach(
                (human, row) ->
                    row.forEach(
                        (teacher, n) ->
                            sum.computeIfAbsent(human, k -> new HashMap<>())
                                .merge(teacher, n, Long::sum)));
          }
        });
    return new Agreement(task, promptVersion, sum);
  }

  /** Items two people reviewed. */
  public long humanPairs() {
    return ConfusionMatrix.of(humans).total();
  }

  /** Cohen's kappa, first reviewer against second; null when no item had two reviewers. */
  public Double humanKappa() {
    return humanPairs() == 0 ? null : ConfusionMatrix.of(humans).scores().kappa();
  }

  /** Share of doubly reviewed items where both people gave the same label; null without any. */
  public Double humanAgreement() {
    return humanPairs() == 0 ? null : ConfusionMatrix.of(humans).scores().accuracy();
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

  /**
   * The report published on the quality topic.
   *
   * @param windowDays length of the sliding window, in UTC days up to {@code now}'s
   */
  public QualityReport toReport(
      GateDecision decision, Bootstrap bootstrap, Instant now, int windowDays) {
    var window = window(LocalDate.ofInstant(now, ZoneOffset.UTC), windowDays);
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
        .setHumanPairs(humanPairs())
        .setHumanAgreement(humanAgreement())
        .setHumanKappa(humanKappa())
        .setWindowDays(windowDays)
        .setWindowReviewed(window.reviewed())
        .setWindowAccuracy(window.accuracy())
        .setWindowMacroF1(window.macroF1())
        .setWindowKappa(window.kappa())
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
