package io.distillery.students;

import java.util.List;

/** Agreement between predicted and reference labels: accuracy and macro-F1 over the label set. */
public final class Metrics {

  private Metrics() {}

  /**
   * @param accuracy share of exact matches
   * @param macroF1 unweighted mean of per-label F1 over labels present in either list
   * @param size number of pairs
   */
  public record Summary(double accuracy, double macroF1, int size) {}

  /** Compares {@code predicted} with {@code reference}, pair by pair. */
  public static Summary compare(
      List<String> labels, List<String> predicted, List<String> reference) {
    if (predicted.size() != reference.size()) {
      throw new IllegalArgumentException("predicted and reference differ in size");
    }
    int n = predicted.size();
    int correct = 0;
    for (int i = 0; i < n; i++) {
      if (predicted.get(i).equals(reference.get(i))) {
        correct++;
      }
    }
    double f1Sum = 0;
    int present = 0;
    for (var label : labels) {
      int tp = 0, fp = 0, fn = 0;
      for (int i = 0; i < n; i++) {
        boolean p = predicted.get(i).equals(label);
        boolean r = reference.get(i).equals(label);
        if (p && r) tp++;
        else if (p) fp++;
        else if (r) fn++;
      }
      if (tp + fp + fn == 0) {
        continue;
      }
      present++;
      f1Sum += 2.0 * tp / (2.0 * tp + fp + fn);
    }
    return new Summary(n == 0 ? 0 : (double) correct / n, present == 0 ? 0 : f1Sum / present, n);
  }
}
