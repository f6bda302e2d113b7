package io.distillery.students;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * How a {@code transformer-finetune} student turns the encoder's per-token hidden states into one
 * vector per text for its classification head.
 */
public enum Pooling {

  /**
   * The first token's hidden state ({@code [CLS]} for BERT and DistilBERT, {@code <s>} for
   * RoBERTa): what Hugging Face's sequence-classification models fine-tune.
   */
  CLS {
    @Override
    NDArray pool(NDArray hidden, NDArray mask) {
      return hidden.get(":, 0, :");
    }
  },

  /**
   * The mean of the real tokens' hidden states (attention mask 1; padding does not count): what
   * sentence-transformers use, and often steadier than {@link #CLS} on small training sets.
   */
  MEAN {
    @Override
    NDArray pool(NDArray hidden, NDArray mask) {
      NDArray weights = mask.toType(hidden.getDataType(), false).expandDims(2);
      return hidden.mul(weights).sum(new int[] {1}).div(weights.sum(new int[] {1}).maximum(1e-9f));
    }
  };

  /**
   * @param hidden the encoder's last hidden state, {@code [batch, seq, hidden]}
   * @param mask the attention mask, {@code [batch, seq]}, 1 for real tokens
   * @return {@code [batch, hidden]}
   */
  abstract NDArray pool(NDArray hidden, NDArray mask);

  /** The name in settings and manifests: {@code cls} or {@code mean}. */
  public String settingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The pooling a setting names, case-insensitively. */
  public static Pooling fromSetting(String value) {
    for (var pooling : values()) {
      if (pooling.name().equalsIgnoreCase(value.strip())) {
        return pooling;
      }
    }
    throw new IllegalArgumentException("unknown pooling '" + value + "'; known: cls, mean");
  }
}
