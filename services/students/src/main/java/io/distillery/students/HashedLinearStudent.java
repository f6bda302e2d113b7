package io.distillery.students;

import java.util.List;

/**
 * The {@code hashed-linear} student at inference: hashed features, then a sparse dot product per
 * class and a softmax. The weights were trained (and are saved and loaded) with DJL; scoring runs
 * on the JVM's own arrays because a text has a few hundred non-zero features, and the arithmetic
 * then costs less than one call into the native engine.
 */
public final class HashedLinearStudent implements Student {

  /** The kind name on model versions and in config. */
  public static final String KIND = "hashed-linear";

  private final HashedFeaturizer featurizer;
  private final List<String> labels;
  private final float[] weights;
  private final float[] biases;

  HashedLinearStudent(
      HashedFeaturizer featurizer, List<String> labels, float[] weights, float[] biases) {
    if (weights.length != featurizer.buckets() * labels.size() || biases.length != labels.size()) {
      throw new IllegalArgumentException(
          "weights do not match "
              + featurizer.buckets()
              + " buckets x "
              + labels.size()
              + " labels");
    }
    this.featurizer = featurizer;
    this.labels = List.copyOf(labels);
    this.weights = weights;
    this.biases = biases;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<String> labels() {
    return labels;
  }

  /** The featurizer this model was trained with. */
  public HashedFeaturizer featurizer() {
    return featurizer;
  }

  float[] weights() {
    return weights;
  }

  float[] biases() {
    return biases;
  }

  @Override
  public Prediction predict(String text) {
    var x = featurizer.features(text);
    int c = labels.size();
    var logits = new double[c];
    for (int k = 0; k < c; k++) {
      logits[k] = biases[k];
    }
    for (int i = 0; i < x.size(); i++) {
      int row = x.indices()[i] * c;
      float v = x.values()[i];
      for (int k = 0; k < c; k++) {
        logits[k] += v * weights[row + k];
      }
    }
    return new Prediction(labels, Prediction.softmax(logits));
  }
}
