package io.distillery.students;

import java.util.List;

/** Agreement between predicted and reference labels: accuracy and macro-F1 over the label set. */
public final class Metrics {

  private Metrics() {}

  /**
   * @param accuracy share of exact matches
   * @param macroF1 unweighted mean of per-label F1 over labels present in either list
   * @param size number of pairs
   * @param perClass label to its scores, for the labels present in either list, in label order
   */
  public record Summary(
      double accuracy, double macroF1, int size, java.util.Map<String, ClassScore> perClass) {}

  /**
   * One label's scores, the reference as truth.
   *
   * @param precision of the items predicted with the label, the share the reference gave it; 0 when
   *     none were
   * @param recall of the items the reference gave the label, the share predicted with it; 0 when
   *     none were
   * @param f1 2 tp / (2 tp + fp + fn)
   * @param support items the reference gave the label
   */
  public record ClassScore(double precision, double recall, double f1, int support) {}

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
    var perClass = new java.util.LinkedHashMap<String, ClassScore>();
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
      double f1 = 2.0 * tp / (2.0 * tp + fp + fn);
      f1Sum += f1;
      perClass.put(
          label,
          new ClassScore(
              tp + fp == 0 ? 0 : (double) tp / (tp + fp),
              tp + fn == 0 ? 0 : (double) tp / (tp + fn),
              f1,
              tp + fn));
    }
    return new Summary(
        n == 0 ? 0 : (double) correct / n,
        present == 0 ? 0 : f1Sum / present,
        n,
        java.util.Collections.unmodifiableMap(perClass));
  }
}
