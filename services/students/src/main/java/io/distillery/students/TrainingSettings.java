package io.distillery.students;

/**
 * How to train a {@code hashed-linear} student.
 *
 * @param featurizer features
 * @param epochs passes over the data
 * @param batchSize the most texts per step: a set of n texts is trained in batches of n / 32, at
 *     least 32 and at most this
 * @param learningRate Adam's learning rate
 * @param weightDecay coefficient of the L2 penalty on the weights, in the loss; must be positive
 *     (it also keeps DJL's zero-gradient check from failing a sound run)
 * @param classWeights whether to weight each class by inverse frequency, so rare classes are not
 *     ignored
 * @param seed seed for initialisation and shuffling, so a run can be repeated
 */
public record TrainingSettings(
    HashedFeaturizer featurizer,
    int epochs,
    int batchSize,
    float learningRate,
    float weightDecay,
    boolean classWeights,
    long seed) {

  /**
   * Settings that work on tweets and reviews alike. Large batches for large sets: every Adam step
   * updates the whole hashed weight matrix, so the step count, not the example count, sets the
   * training time; batches of up to 512 at a learning rate of 0.1 train movie-review-polarity's
   * 8,278 labels about nine times faster than 32 at 0.02, at the same test macro-F1.
   */
  public static final TrainingSettings DEFAULT =
      new TrainingSettings(HashedFeaturizer.DEFAULT, 8, 512, 0.1f, 1e-6f, true, 42);

  public TrainingSettings {
    if (!(weightDecay > 0)) {
      throw new IllegalArgumentException("weightDecay must be positive, got " + weightDecay);
    }
    if (epochs < 1 || batchSize < 1 || learningRate <= 0) {
      throw new IllegalArgumentException("epochs, batchSize and learningRate must be positive");
    }
  }

  /** The same settings with another seed. */
  public TrainingSettings withSeed(long newSeed) {
    return new TrainingSettings(
        featurizer, epochs, batchSize, learningRate, weightDecay, classWeights, newSeed);
  }
}
