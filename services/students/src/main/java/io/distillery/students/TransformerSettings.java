package io.distillery.students;

import io.distillery.students.SoftTargets.Distillation;
import io.distillery.students.bert.PretrainedBert;
import java.nio.file.Path;

/**
 * How to fine-tune a {@code transformer-finetune} student: the recipe of BERT fine-tuning (Devlin
 * et al. 2019) as the field runs it — AdamW with decoupled weight decay, a linear warm-up and decay
 * of the learning rate, dropout inside the encoder, class weights, gradient clipping by global
 * norm, dynamic padding over length-sorted buckets, and early stopping on a held-out slice of the
 * teacher's labels.
 *
 * @param encoder null for the pretrained encoder that ships with Distillery (all-MiniLM-L6-v2,
 *     fp32, from Maven Central); or a directory holding a user's TorchScript export, {@value
 *     TorchScriptEncoder#USER_FILE}, and its {@value TransformerTokenizer#FILE} (see {@code
 *     docs/transformer-student.md})
 * @param pretrained which shipped encoder is fine-tuned when {@code encoder} is null: {@code
 *     all-MiniLM-L6-v2} (the default, 6 layers) or {@code bge-small-en-v1.5} (12 layers, about
 *     twice as slow, a stronger start)
 * @param maxLength tokens per text, special tokens included; longer texts are truncated. At most
 *     the encoder's position limit (512 for BERT-family encoders)
 * @param epochs most passes over the data; early stopping may end sooner
 * @param batchSize texts per step
 * @param learningRate AdamW's peak learning rate, for encoder and head alike
 * @param weightDecay AdamW's decoupled weight decay
 * @param warmupShare share of the steps over which the learning rate rises to its peak, in [0, 1)
 * @param maxGradNorm gradients are scaled down when their global L2 norm exceeds this; 0 turns
 *     clipping off
 * @param validationShare share of the teacher's labels held out to pick the best epoch and stop
 *     early, in [0, 0.5); never people's labels, which measure the model. Nothing is held out under
 *     {@link #MIN_VALIDATION} texts
 * @param patience epochs without a better held-out macro-F1 before training stops
 * @param classWeights whether to weight each class by inverse frequency, so rare classes are not
 *     ignored
 * @param pooling how the per-token hidden states become one vector per text
 * @param distillation {@code HARD}: learn the teacher's label; {@code SOFT}: learn its distribution
 *     where it gave one
 * @param temperature softens ({@code > 1}) or sharpens the teacher's distribution under {@code
 *     SOFT}; the student's logits are divided by it in training, and the loss scaled by its square
 * @param seed seeds the head's initialisation, dropout, the hold-out and the shuffling, so a run
 *     can be repeated
 */
public record TransformerSettings(
    Path encoder,
    String pretrained,
    int maxLength,
    int epochs,
    int batchSize,
    float learningRate,
    float weightDecay,
    float warmupShare,
    float maxGradNorm,
    float validationShare,
    int patience,
    boolean classWeights,
    Pooling pooling,
    Distillation distillation,
    double temperature,
    long seed) {

  /** Fewer held-out texts than this say nothing: below, training runs every epoch. */
  public static final int MIN_VALIDATION = 30;

  /**
   * The defaults: the shipped all-MiniLM-L6-v2, 128 tokens, mean pooling (how the encoder was
   * pretrained), at most 5 epochs of 16 texts at a peak rate of 8e-5 (small encoders take larger
   * rates than BERT-base's 2e-5 to 5e-5), weight decay 0.01, 10 % warm-up, clipping at norm 1, 10 %
   * held out with a patience of 1, hard labels.
   */
  public static final TransformerSettings DEFAULT =
      new TransformerSettings(
          null,
          PretrainedBert.MINILM_L6_V2.modelName(),
          128,
          5,
          16,
          8e-5f,
          0.01f,
          0.1f,
          1f,
          0.1f,
          1,
          true,
          Pooling.MEAN,
          Distillation.HARD,
          1.0,
          42);

  public TransformerSettings {
    if (maxLength < 2) {
      throw new IllegalArgumentException(
          "maxLength must leave room for the special tokens, got " + maxLength);
    }
    if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException("epochs, batchSize and learningRate must be positive");
    }
    if (!(weightDecay >= 0) || !(maxGradNorm >= 0)) {
      throw new IllegalArgumentException("weightDecay and maxGradNorm must not be negative");
    }
    if (!(warmupShare >= 0 && warmupShare < 1)) {
      throw new IllegalArgumentException("warmupShare must be in [0, 1), got " + warmupShare);
    }
    if (!(validationShare >= 0 && validationShare < 0.5)) {
      throw new IllegalArgumentException(
          "validationShare must be in [0, 0.5), got " + validationShare);
    }
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be at least 1, got " + patience);
    }
    if (PretrainedBert.find(pretrained).isEmpty()) {
      throw new IllegalArgumentException(
          "pretrained must name a shipped encoder, one of "
              + PretrainedBert.SHIPPED.stream().map(PretrainedBert::modelName).toList()
              + ", got '"
              + pretrained
              + "'");
    }
    if (pooling == null || distillation == null) {
      throw new IllegalArgumentException("pooling and distillation must be set");
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
    }
  }

  /** The same settings with another encoder directory (null: the shipped encoder). */
  public TransformerSettings withEncoder(Path directory) {
    return new TransformerSettings(
        directory,
        pretrained,
        maxLength,
        epochs,
        batchSize,
        learningRate,
        weightDecay,
        warmupShare,
        maxGradNorm,
        validationShare,
        patience,
        classWeights,
        pooling,
        distillation,
        temperature,
        seed);
  }

  /** The same settings fine-tuning another shipped encoder ({@link PretrainedBert#named}). */
  public TransformerSettings withPretrained(String name) {
    return new TransformerSettings(
        encoder,
        name,
        maxLength,
        epochs,
        batchSize,
        learningRate,
        weightDecay,
        warmupShare,
        maxGradNorm,
        validationShare,
        patience,
        classWeights,
        pooling,
        distillation,
        temperature,
        seed);
  }

  /** The same settings with another seed. */
  public TransformerSettings withSeed(long newSeed) {
    return new TransformerSettings(
        encoder,
        pretrained,
        maxLength,
        epochs,
        batchSize,
        learningRate,
        weightDecay,
        warmupShare,
        maxGradNorm,
        validationShare,
        patience,
        classWeights,
        pooling,
        distillation,
        temperature,
        newSeed);
  }

  /** The same settings with another way of distilling. */
  public TransformerSettings withDistillation(Distillation how, double newTemperature) {
    return new TransformerSettings(
        encoder,
        pretrained,
        maxLength,
        epochs,
        batchSize,
        learningRate,
        weightDecay,
        warmupShare,
        maxGradNorm,
        validationShare,
        patience,
        classWeights,
        pooling,
        how,
        newTemperature,
        seed);
  }

  /** The same settings with at most {@code n} epochs. */
  public TransformerSettings withEpochs(int n) {
    return new TransformerSettings(
        encoder,
        pretrained,
        maxLength,
        n,
        batchSize,
        learningRate,
        weightDecay,
        warmupShare,
        maxGradNorm,
        validationShare,
        patience,
        classWeights,
        pooling,
        distillation,
        temperature,
        seed);
  }
}
