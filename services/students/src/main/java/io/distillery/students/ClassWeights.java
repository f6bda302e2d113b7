package io.distillery.students;

/** The per-class loss weights every student kind trains with. */
public final class ClassWeights {

  private ClassWeights() {}

  /**
   * Inverse class frequency, as scikit-learn's {@code class_weight="balanced"}, so rare classes are
   * not ignored; a class absent from the examples gets no weight at all. All ones when not {@code
   * balanced}.
   *
   * @param targets each example's class index
   * @param classes the number of classes
   */
  public static float[] of(int[] targets, int classes, boolean balanced) {
    var counts = new int[classes];
    for (int t : targets) {
      counts[t]++;
    }
    var weights = new float[classes];
    for (int k = 0; k < classes; k++) {
      weights[k] =
          !balanced ? 1f : counts[k] == 0 ? 0f : (float) targets.length / (classes * counts[k]);
    }
    return weights;
  }
}
