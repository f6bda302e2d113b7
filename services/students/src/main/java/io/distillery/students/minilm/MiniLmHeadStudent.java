package io.distillery.students.minilm;

import io.distillery.students.Prediction;
import io.distillery.students.Student;
import java.util.List;

/**
 * The {@code minilm-head} student at inference: the text's all-MiniLM-L6-v2 sentence vector (from
 * the encoder's cache when the text was seen recently), then the trained head and a softmax.
 *
 * <p>Thread-safe: the encoder is, and the head's weights are never changed after construction.
 * Almost all of a prediction's time is the encoder's forward pass (about 1.5 ms a text on 2 cores);
 * the head costs microseconds.
 */
public final class MiniLmHeadStudent implements Student {

  /** The kind name on model versions and in config. */
  public static final String KIND = "minilm-head";

  private final List<String> labels;
  private final TextEncoder encoder;
  private final HeadWeights head;

  MiniLmHeadStudent(List<String> labels, TextEncoder encoder, HeadWeights head) {
    if (head.classes != labels.size()) {
      throw new IllegalArgumentException(
          "the head has " + head.classes + " outputs for " + labels.size() + " labels");
    }
    this.labels = List.copyOf(labels);
    this.encoder = encoder;
    this.head = head;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<String> labels() {
    return labels;
  }

  /** The sentence encoder's model name, e.g. {@code all-MiniLM-L6-v2-q}. */
  public String encoderName() {
    return encoder.modelName();
  }

  HeadWeights head() {
    return head;
  }

  /**
   * {@inheritDoc}
   *
   * @throws TextEncoder.EncodingException when the encoder cannot embed the text
   */
  @Override
  public Prediction predict(String text) {
    float[] vector = encoder.embed(List.of(text))[0];
    return new Prediction(labels, head.probabilities(vector));
  }
}
