package io.distillery.students;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A student's answer for one text.
 *
 * @param labels the label set, in the model's order
 * @param probabilities one probability per label, summing to 1
 */
public record Prediction(List<String> labels, double[] probabilities) {

  /** Index of the most probable label. */
  public int best() {
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      if (probabilities[i] > probabilities[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The most probable label. */
  public String label() {
    return labels.get(best());
  }

  /** The top probability. */
  public double confidence() {
    return probabilities[best()];
  }

  /** The top probability less the second; 1 with a single label. */
  public double margin() {
    double first = Double.NEGATIVE_INFINITY;
    double second = Double.NEGATIVE_INFINITY;
    for (double p : probabilities) {
      if (p > first) {
        second = first;
        first = p;
      } else if (p > second) {
        second = p;
      }
    }
    return probabilities.length < 2 ? 1 : first - second;
  }

  /** Label to probability, in label order. */
  public Map<String, Double> asMap() {
    var map = new LinkedHashMap<String, Double>();
    for (int i = 0; i < labels.size(); i++) {
      map.put(labels.get(i), probabilities[i]);
    }
    return map;
  }

  /** Probabilities from logits: the softmax, shifted by the largest logit so it never overflows. */
  public static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    var out = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      out[i] = Math.exp(logits[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= sum;
    }
    return out;
  }
}
