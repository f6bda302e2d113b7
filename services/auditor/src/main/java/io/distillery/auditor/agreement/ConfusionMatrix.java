package io.distillery.auditor.agreement;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A dense copy of a confusion matrix (rows the human label, columns the teacher's, over one sorted
 * label list), and the scores of any such matrix. The point estimates and every bootstrap resample
 * are scored by the same {@link #score} so the two can never disagree on a definition.
 */
public final class ConfusionMatrix {

  /**
   * @param accuracy share of items on the diagonal
   * @param macroF1 mean F1 over the labels either side used
   * @param kappa Cohen's kappa; 1 when chance agreement is total (both always said one label)
   */
  record Scores(double accuracy, double macroF1, double kappa) {}

  private final List<String> labels;
  private final long[][] counts;
  private final long total;

  private ConfusionMatrix(List<String> labels, long[][] counts, long total) {
    this.labels = labels;
    this.counts = counts;
    this.total = total;
  }

  /** The dense form of {@code confusion} (human label to teacher label to count). */
  static ConfusionMatrix of(Map<String, Map<String, Long>> confusion) {
    var names = new TreeSet<String>(confusion.keySet());
    confusion.values().forEach(row -> names.addAll(row.keySet()));
    var labels = List.copyOf(names);
    var counts = new long[labels.size()][labels.size()];
    long total = 0;
    for (var row : confusion.entrySet()) {
      int human = labels.indexOf(row.getKey());
      for (var cell : row.getValue().entrySet()) {
        long count = cell.getValue();
        counts[human][labels.indexOf(cell.getKey())] = count;
        total += count;
      }
    }
    return new ConfusionMatrix(labels, counts, total);
  }

  /** The labels either side used, sorted; the index of a row and of a column. */
  List<String> labels() {
    return labels;
  }

  /** Items counted. */
  long total() {
    return total;
  }

  /** Items people gave {@code human} and the teacher gave {@code teacher}, by index. */
  long count(int human, int teacher) {
    return counts[human][teacher];
  }

  /** Items people gave the label at {@code index}. */
  long rowSum(int index) {
    long sum = 0;
    for (long count : counts[index]) {
      sum += count;
    }
    return sum;
  }

  /** Items the teacher gave the label at {@code index}. */
  long columnSum(int index) {
    long sum = 0;
    for (long[] row : counts) {
      sum += row[index];
    }
    return sum;
  }

  /** The scores of this matrix; it must hold at least one item. */
  Scores scores() {
    int k = labels.size();
    var cells = new long[k * k];
    for (int human = 0; human < k; human++) {
      System.arraycopy(counts[human], 0, cells, human * k, k);
    }
    return score(cells, k);
  }

  /**
   * The scores of a k-by-k count matrix holding at least one item, flattened row by row (the count
   * of human label h and teacher label t at {@code h * k + t}).
   */
  static Scores score(long[] cells, int k) {
    var rows = new long[k];
    var columns = new long[k];
    long n = 0;
    long agreed = 0;
    for (int human = 0; human < k; human++) {
      for (int teacher = 0; teacher < k; teacher++) {
        long count = cells[human * k + teacher];
        n += count;
        rows[human] += count;
        columns[teacher] += count;
      }
      agreed += cells[human * k + human];
    }
    double f1Sum = 0;
    int used = 0;
    double expected = 0;
    for (int label = 0; label < k; label++) {
      long marginals = rows[label] + columns[label];
      if (marginals > 0) {
        used++;
        // 2 tp / (2 tp + fp + fn), where fp + tp is the column and fn + tp the row.
        f1Sum += 2.0 * cells[label * k + label] / marginals;
      }
      expected += ((double) rows[label] / n) * ((double) columns[label] / n);
    }
    double observed = (double) agreed / n;
    double kappa = expected >= 1 ? 1.0 : (observed - expected) / (1 - expected);
    return new Scores(observed, f1Sum / used, kappa);
  }
}
