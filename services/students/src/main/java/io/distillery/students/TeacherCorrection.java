package io.distillery.students;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the audit measured of the teacher, used to turn a student of the teacher's labels into a
 * student of people's labels. A student trained on a teacher's labels learns {@code p(teacher = j |
 * text)}, errors included; people's label then follows as
 *
 * <pre>p(person = i | text) = Σ_j P(person = i | teacher = j) · p(teacher = j | text)</pre>
 *
 * with {@code P(person | teacher)} counted over reviewed texts and add-one smoothed per teacher
 * label. It assumes that once the teacher's label is known, what people say does not depend further
 * on the text: the correction moves decision boundaries by the teacher's measured bias (a teacher
 * that calls a quarter of one class the other makes the student demand more evidence for that
 * other), and leaves a student of a teacher without errors nearly as it was.
 *
 * <p>The counts must come from texts chosen for review independently of how hard they are (the
 * auditor's uniform and stratified-by-teacher-label samples): {@code P(person | teacher)} is then
 * unbiased, while texts picked for low confidence or disagreement would overstate the errors.
 *
 * <p>Measured in {@code docs/results.md}: on climate stance (a teacher that calls 26 % of the "not
 * agrees" sentences "agrees") it raised three kinds of student by 0.017–0.03 macro-F1; on movie
 * reviews (a teacher at 0.94) it moved them by at most 0.003.
 */
public final class TeacherCorrection {

  private final List<String> labels;
  private final Map<String, Map<String, Long>> counts;
  private final long pairs;
  // matrix[i][j] = P(person = labels[i] | teacher = labels[j])
  private final double[][] matrix;

  private TeacherCorrection(List<String> labels, Map<String, Map<String, Long>> counts) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a correction needs at least one label");
    }
    this.labels = List.copyOf(labels);
    var copy = new TreeMap<String, Map<String, Long>>();
    long total = 0;
    for (var row : counts.entrySet()) {
      requireLabel(row.getKey());
      var inner = new TreeMap<String, Long>();
      for (var cell : row.getValue().entrySet()) {
        requireLabel(cell.getKey());
        long n = cell.getValue();
        if (n < 0) {
          throw new IllegalArgumentException(
              "count for " + row.getKey() + "/" + cell.getKey() + " is negative: " + n);
        }
        if (n > 0) {
          inner.put(cell.getKey(), n);
          total += n;
        }
      }
      if (!inner.isEmpty()) {
        copy.put(row.getKey(), inner);
      }
    }
    this.counts = java.util.Collections.unmodifiableMap(copy);
    this.pairs = total;
    int k = labels.size();
    this.matrix = new double[k][k];
    for (int j = 0; j < k; j++) {
      double column = k;
      for (int i = 0; i < k; i++) {
        column += count(labels.get(i), labels.get(j));
      }
      for (int i = 0; i < k; i++) {
        matrix[i][j] = (count(labels.get(i), labels.get(j)) + 1) / column;
      }
    }
  }

  /**
   * @param labels the label set, in the students' output order
   * @param counts person's label to the teacher's label to the number of reviewed texts
   * @throws IllegalArgumentException when a count names another label or is negative
   */
  public static TeacherCorrection of(List<String> labels, Map<String, Map<String, Long>> counts) {
    return new TeacherCorrection(labels, counts);
  }

  /** The label set, in output order. */
  public List<String> labels() {
    return labels;
  }

  /** Person's label to the teacher's label to count, positive counts only. */
  public Map<String, Map<String, Long>> counts() {
    return counts;
  }

  /** Reviewed texts counted. */
  public long pairs() {
    return pairs;
  }

  /** {@code P(person = human | teacher = teacher)}, smoothed. */
  public double probability(String human, String teacher) {
    return matrix[index(human)][index(teacher)];
  }

  /**
   * The same counts less one text's: scoring that text with it is scoring it with a correction that
   * never saw it (leave-one-out), which is how a correction is measured on the texts it was counted
   * on.
   *
   * @throws IllegalArgumentException when no such text was counted
   */
  public TeacherCorrection without(String human, String teacher) {
    long n = count(human, teacher);
    if (n == 0) {
      throw new IllegalArgumentException("no reviewed text " + human + "/" + teacher + " counted");
    }
    var less = new TreeMap<String, Map<String, Long>>();
    counts.forEach((h, row) -> less.put(h, new TreeMap<>(row)));
    less.get(human).put(teacher, n - 1);
    return new TeacherCorrection(labels, less);
  }

  /** People's distribution from a student's distribution over the teacher's labels. */
  public double[] apply(double[] teacher) {
    int k = labels.size();
    if (teacher.length != k) {
      throw new IllegalArgumentException("expected " + k + " probabilities, got " + teacher.length);
    }
    var out = new double[k];
    for (int i = 0; i < k; i++) {
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += matrix[i][j] * teacher[j];
      }
      out[i] = sum;
    }
    return out;
  }

  /** {@link #apply} on a prediction. */
  public Prediction apply(Prediction prediction) {
    if (!prediction.labels().equals(labels)) {
      throw new IllegalArgumentException(
          "the prediction's labels " + prediction.labels() + " are not " + labels);
    }
    return new Prediction(labels, apply(prediction.probabilities()));
  }

  private long count(String human, String teacher) {
    return counts.getOrDefault(human, Map.of()).getOrDefault(teacher, 0L);
  }

  private int index(String label) {
    int i = labels.indexOf(label);
    if (i < 0) {
      throw new IllegalArgumentException("'" + label + "' is not one of " + labels);
    }
    return i;
  }

  private void requireLabel(String label) {
    index(label);
  }

  @Override
  public String toString() {
    return "TeacherCorrection" + counts + " over " + labels;
  }
}
