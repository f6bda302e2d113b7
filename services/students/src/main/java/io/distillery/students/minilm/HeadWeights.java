package io.distillery.students.minilm;

import io.distillery.students.Prediction;
import io.distillery.students.minilm.MiniLmHeadSettings.Head;

/**
 * A trained head's parameters, and its forward pass on the JVM's arrays. Weights are row-major
 * {@code (out, in)}, as DJL's {@code Linear} keeps them. A logistic head has only the first layer
 * ({@code w2} and {@code b2} are null); an MLP's first layer is the hidden one, followed by a ReLU.
 *
 * <p>Scoring runs here rather than in the native engine: a head is one or two small matrix-vector
 * products (about 100k multiply-adds), which cost less than one call into PyTorch, and plain arrays
 * need no {@code NDManager} to close and are safe to share between threads.
 */
final class HeadWeights {

  final Head head;
  final int inputs;
  final int hidden;
  final int classes;
  final float[] w1;
  final float[] b1;
  final float[] w2;
  final float[] b2;

  private HeadWeights(
      Head head,
      int inputs,
      int hidden,
      int classes,
      float[] w1,
      float[] b1,
      float[] w2,
      float[] b2) {
    this.head = head;
    this.inputs = inputs;
    this.hidden = hidden;
    this.classes = classes;
    this.w1 = w1;
    this.b1 = b1;
    this.w2 = w2;
    this.b2 = b2;
  }

  /** A logistic head: {@code w (classes x inputs)}, {@code b (classes)}. */
  static HeadWeights logistic(int inputs, int classes, float[] w, float[] b) {
    check("weight", w, classes * inputs);
    check("bias", b, classes);
    return new HeadWeights(Head.LOGISTIC, inputs, 0, classes, w, b, null, null);
  }

  /**
   * An MLP head: {@code w1 (hidden x inputs)}, {@code b1 (hidden)}, {@code w2 (classes x hidden)},
   * {@code b2 (classes)}.
   */
  static HeadWeights mlp(
      int inputs, int hidden, int classes, float[] w1, float[] b1, float[] w2, float[] b2) {
    check("hidden weight", w1, hidden * inputs);
    check("hidden bias", b1, hidden);
    check("output weight", w2, classes * hidden);
    check("output bias", b2, classes);
    return new HeadWeights(Head.MLP, inputs, hidden, classes, w1, b1, w2, b2);
  }

  /** The class probabilities for one input vector. */
  double[] probabilities(float[] x) {
    if (x.length != inputs) {
      throw new IllegalArgumentException(
          "the head takes " + inputs + "-d vectors, not " + x.length + "-d");
    }
    if (head == Head.LOGISTIC) {
      return Prediction.softmax(affine(w1, b1, x, inputs, classes));
    }
    var h = affine(w1, b1, x, inputs, hidden);
    var relu = new float[hidden];
    for (int j = 0; j < hidden; j++) {
      relu[j] = (float) Math.max(0, h[j]);
    }
    return Prediction.softmax(affine(w2, b2, relu, hidden, classes));
  }

  private static double[] affine(float[] w, float[] b, float[] x, int in, int out) {
    var y = new double[out];
    for (int k = 0; k < out; k++) {
      double sum = b[k];
      int row = k * in;
      for (int d = 0; d < in; d++) {
        sum += w[row + d] * x[d];
      }
      y[k] = sum;
    }
    return y;
  }

  private static void check(String what, float[] values, int expected) {
    if (values == null || values.length != expected) {
      throw new IllegalArgumentException(
          "the head's "
              + what
              + " has "
              + (values == null ? "no" : values.length)
              + " values, expected "
              + expected);
    }
  }
}
