package io.distillery.students;

import java.nio.file.Path;

/**
 * How to fine-tune a {@code transformer-finetune} student.
 *
 * @param encoder the directory holding the user's export, {@value TorchScriptEncoder#USER_FILE}
 *     (TorchScript) and {@value TransformerTokenizer#FILE} (see {@code
 *     docs/transformer-student.md}); null where only loading is needed, since an artifact carries
 *     its own copies
 * @param maxLength tokens per text, special tokens included; longer texts are truncated. At most
 *     the encoder's position limit (512 for BERT, DistilBERT and RoBERTa)
 * @param epochs passes over the data
 * @param batchSize texts per step
 * @param learningRate Adam's learning rate, for encoder and head alike: 2e-5 to 5e-5 for a
 *     pretrained encoder; larger only for an encoder trained from scratch
 * @param classWeights whether to weight each class by inverse frequency, so rare classes are not
 *     ignored
 * @param pooling how the per-token hidden states become one vector per text
 * @param seed seeds the head's initialisation and the shuffling, so a run can be repeated
 */
public record TransformerSettings(
    Path encoder,
    int maxLength,
    int epochs,
    int batchSize,
    float learningRate,
    boolean classWeights,
    Pooling pooling,
    long seed) {

  /**
   * The usual BERT fine-tuning recipe (Devlin et al. 2019: a few epochs, small batches, a learning
   * rate of a few 1e-5), with no encoder: {@link #withEncoder} names one before training.
   */
  public static final TransformerSettings DEFAULT =
      new TransformerSettings(null, 128, 3, 16, 3e-5f, true, Pooling.CLS, 42);

  public TransformerSettings {
    if (maxLength < 2) {
      throw new IllegalArgumentException(
          "maxLength must leave room for the special tokens, got " + maxLength);
    }
    if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException("epochs, batchSize and learningRate must be positive");
    }
    if (pooling == null) {
      throw new IllegalArgumentException("pooling must be set");
    }
  }

  /** The same settings with another encoder directory. */
  public TransformerSettings withEncoder(Path directory) {
    return new TransformerSettings(
        directory, maxLength, epochs, batchSize, learningRate, classWeights, pooling, seed);
  }

  /** The same settings with another seed. */
  public TransformerSettings withSeed(long newSeed) {
    return new TransformerSettings(
        encoder, maxLength, epochs, batchSize, learningRate, classWeights, pooling, newSeed);
  }
}
