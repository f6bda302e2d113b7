package io.distillery.students;

import java.util.Map;

/**
 * One training or evaluation text with its label, and, where the teacher gave one, its distribution
 * over the labels (self-consistency votes, token log-probabilities, a stated confidence). Students
 * trained with {@code distillation=soft} learn the distribution; the others and every evaluation
 * use the label.
 *
 * @param text the text
 * @param label its label
 * @param distribution the teacher's probability per label, summing to about 1; null when the
 *     teacher gave only a label
 */
public record LabeledExample(String text, String label, Map<String, Double> distribution) {

  public LabeledExample {
    distribution = distribution == null ? null : Map.copyOf(distribution);
  }

  /** A text with a label and no distribution. */
  public LabeledExample(String text, String label) {
    this(text, label, null);
  }
}
