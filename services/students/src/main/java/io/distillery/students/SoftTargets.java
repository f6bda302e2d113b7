package io.distillery.students;

import java.util.List;

/**
 * The targets a student learns from: one-hot on the teacher's label (hard distillation), or the
 * teacher's distribution sharpened or flattened by a temperature (soft distillation, Hinton et al.
 * 2015). A distribution may name only some labels (a teacher's stated confidence names one): the
 * mass it leaves is shared evenly by the labels it does not name, which is what it says and no
 * more.
 */
public final class SoftTargets {

  private SoftTargets() {}

  /** How a student learns from its teacher. */
  public enum Distillation {
    /** Cross-entropy to the teacher's label. */
    HARD,
    /** Cross-entropy to the teacher's distribution, at a temperature. */
    SOFT;

    /** {@code hard} or {@code soft}, as settings write it. */
    public String settingName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Reads a setting.
     *
     * @throws IllegalArgumentException for anything but {@code hard} or {@code soft}
     */
    public static Distillation fromSetting(String value) {
      for (var d : values()) {
        if (d.settingName().equals(value)) {
          return d;
        }
      }
      throw new IllegalArgumentException("distillation must be hard or soft, got '" + value + "'");
    }
  }

  /**
   * The target distribution of {@code example} over {@code labels}, in their order.
   *
   * @param confidence the teacher's confidence in its label where it gave no distribution; null or
   *     out of (0, 1] for a one-hot target
   * @param temperature applied to the teacher's distribution: {@code p^(1/T)}, renormalised; 1
   *     leaves it as given
   * @throws IllegalArgumentException when the label is not one of {@code labels}, or the
   *     distribution names another label or holds no mass
   */
  public static float[] of(
      LabeledExample example, List<String> labels, Distillation distillation, double temperature) {
    int classes = labels.size();
    int label = labels.indexOf(example.label());
    if (label < 0) {
      throw new IllegalArgumentException("label '" + example.label() + "' is not one of " + labels);
    }
    var target = new double[classes];
    if (distillation == Distillation.HARD || example.distribution() == null) {
      target[label] = 1;
    } else {
      double named = 0;
      for (var entry : example.distribution().entrySet()) {
        int k = labels.indexOf(entry.getKey());
        if (k < 0) {
          throw new IllegalArgumentException(
              "distribution names '" + entry.getKey() + "', not one of " + labels);
        }
        target[k] = Math.max(0, entry.getValue());
        named += target[k];
      }
      int unnamed = classes - example.distribution().size();
      if (unnamed > 0 && named < 1) {
        for (int k = 0; k < classes; k++) {
          if (!example.distribution().containsKey(labels.get(k))) {
            target[k] = (1 - named) / unnamed;
          }
        }
      }
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
    }
    double sum = 0;
    for (int k = 0; k < classes; k++) {
      target[k] = temperature == 1 ? target[k] : Math.pow(target[k], 1 / temperature);
      sum += target[k];
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("the teacher's distribution holds no mass");
    }
    var out = new float[classes];
    for (int k = 0; k < classes; k++) {
      out[k] = (float) (target[k] / sum);
    }
    return out;
  }

  /**
   * The distribution a teacher's confidence in its label states: {@code confidence} on it (the
   * other labels share the rest, see {@link #of}); null (one-hot) without a usable confidence.
   */
  public static java.util.Map<String, Double> fromConfidence(String label, Double confidence) {
    if (confidence == null || !(confidence > 0 && confidence <= 1)) {
      return null;
    }
    return java.util.Map.of(label, confidence);
  }
}
