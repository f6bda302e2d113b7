package io.distillery.students;

import ai.djl.ndarray.NDArray;

/**
 * The loss every student trains with: cross-entropy of the softmax of {@code logits} against {@code
 * targets} (one-hot rows for hard labels, distributions for soft ones), each row weighted (by
 * {@link ClassWeights} of its label) and the sum divided by the weights' sum, so a batch's loss
 * does not depend on its size or its mix of classes. Each trainer adds what is its own on top (an
 * L2 term, the T² of soft targets).
 */
public final class WeightedCrossEntropy {

  private WeightedCrossEntropy() {}

  /**
   * @param logits {@code [rows, classes]}
   * @param targets {@code [rows, classes]}, each row summing to 1
   * @param weights {@code [rows]}
   * @return the scalar loss
   */
  public static NDArray of(NDArray logits, NDArray targets, NDArray weights) {
    NDArray picked = logits.logSoftmax(1).mul(targets).sum(new int[] {1});
    return picked.mul(weights).sum().neg().div(weights.sum().maximum(1e-6f));
  }
}
