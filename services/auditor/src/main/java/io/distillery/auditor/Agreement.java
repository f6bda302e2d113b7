package io.distillery.auditor;

import io.distillery.schema.GateStatus;
import io.distillery.schema.QualityReport;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Teacher-versus-human counts for one task and prompt version: the confusion matrix (human label,
 * then teacher label), from which every agreement number is derived. Immutable; {@link #add}
 * returns a new value.
 *
 * @param task the task
 * @param promptVersion the prompt version whose labels were checked
 * @param confusion human label to teacher label to count
 */
public record Agreement(
    String task, String promptVersion, Map<String, Map<String, Long>> confusion) {

  /** Thresholds of the gate. */
  public record Gate(int minReviewed, double minMacroF1, double minKappa) {}

  /** No reviews yet. */
  public static Agreement empty() {
    return new Agreement(null, null, Map.of());
  }

  /** Counts one reviewed item. */
  public Agreement add(ReviewedLabel item) {
    var copy = new TreeMap<String, Map<String, Long>>();
    confusion.forEach((human, row) -> copy.put(human, new TreeMap<>(row)));
    copy.computeIfAbsent(item.humanLabel(), k -> new TreeMap<>())
        .merge(item.teacherLabel(), 1L, Long::sum);
    return new Agreement(item.task(), item.promptVersion(), copy);
  }

  /** Uncounts one reviewed item, when its verdict or teacher label was replaced. */
  public Agreement remove(ReviewedLabel item) {
    var copy = new TreeMap<String, Map<String, Long>>();
    confusion.forEach((human, row) -> copy.put(human, new TreeMap<>(row)));
    var row = copy.get(item.humanLabel());
    if (row != null) {
      row.computeIfPresent(item.teacherLabel(), (teacher, n) -> n > 1 ? n - 1 : null);
      if (row.isEmpty()) {
        copy.remove(item.humanLabel());
      }
    }
    return new Agreement(item.task(), item.promptVersion(), copy);
  }

  /** Items reviewed. */
  public long reviewed() {
    return confusion.values().stream()
        .flatMap(r -> r.values().stream())
        .mapToLong(Long::longValue)
        .sum();
  }

  /** Items where the teacher agreed with the human. */
  public long agreed() {
    return confusion.entrySet().stream()
        .mapToLong(e -> e.getValue().getOrDefault(e.getKey(), 0L))
        .sum();
  }

  /** Share of agreement, or null with no reviews. */
  public Double accuracy() {
    long n = reviewed();
    return n == 0 ? null : (double) agreed() / n;
  }

  /**
   * Mean per-label F1 of the teacher against people, over labels either side used; null with no
   * reviews.
   */
  public Double macroF1() {
    if (reviewed() == 0) {
      return null;
    }
    double sum = 0;
    var labels = labels();
    for (var label : labels) {
      long tp = count(label, label);
      long fp = labels.stream().filter(h -> !h.equals(label)).mapToLong(h -> count(h, label)).sum();
      long fn = labels.stream().filter(t -> !t.equals(label)).mapToLong(t -> count(label, t)).sum();
      sum += tp + fp + fn == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
    return sum / labels.size();
  }

  /**
   * Cohen's kappa between teacher and people; null with no reviews, 1 when chance agreement is
   * total and observed.
   */
  public Double kappa() {
    long n = reviewed();
    if (n == 0) {
      return null;
    }
    double observed = (double) agreed() / n;
    double expected = 0;
    for (var label : labels()) {
      double human =
          confusion.getOrDefault(label, Map.of()).values().stream()
              .mapToLong(Long::longValue)
              .sum();
      double teacher = confusion.values().stream().mapToLong(r -> r.getOrDefault(label, 0L)).sum();
      expected += (human / n) * (teacher / n);
    }
    return expected >= 1 ? 1.0 : (observed - expected) / (1 - expected);
  }

  /** The gate for this prompt version under the thresholds. */
  public GateStatus gate(Gate gate) {
    if (reviewed() == 0 || reviewed() < gate.minReviewed()) {
      return GateStatus.INSUFFICIENT_DATA;
    }
    return macroF1() >= gate.minMacroF1() && kappa() >= gate.minKappa()
        ? GateStatus.PASS
        : GateStatus.FAIL;
  }

  /** The report published on the quality topic. */
  public QualityReport toReport(Gate gate, Instant now) {
    var matrix = new HashMap<String, Map<String, Long>>();
    confusion.forEach((human, row) -> matrix.put(human, new HashMap<>(row)));
    return QualityReport.newBuilder()
        .setTask(task)
        .setPromptVersion(promptVersion)
        .setReviewed(reviewed())
        .setAgreed(agreed())
        .setAccuracy(accuracy())
        .setMacroF1(macroF1())
        .setKappa(kappa())
        .setConfusion(matrix)
        .setGate(gate(gate))
        .setGeneratedAt(now)
        .build();
  }

  private long count(String human, String teacher) {
    return confusion.getOrDefault(human, Map.of()).getOrDefault(teacher, 0L);
  }

  private TreeSet<String> labels() {
    var labels = new TreeSet<String>(confusion.keySet());
    confusion.values().forEach(r -> labels.addAll(r.keySet()));
    return labels;
  }
}
