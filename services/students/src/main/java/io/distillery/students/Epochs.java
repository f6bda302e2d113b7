package io.distillery.students;

import ai.djl.Device;
import ai.djl.ndarray.NDScope;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.jboss.logging.Logger;

/**
 * The training loop every student kind shares: Adam on a softmax cross-entropy, and epochs over the
 * examples shuffled by a seed, in batches, each reporting its mean loss and speed.
 */
public final class Epochs {

  /** One optimisation step on a batch of example indices; returns the batch's mean loss. */
  @FunctionalInterface
  public interface Step {
    double loss(List<Integer> batch);
  }

  private static final Logger LOG = Logger.getLogger(Epochs.class);

  private Epochs() {}

  /**
   * Adam at a fixed learning rate on the class-weighted softmax cross-entropy, on {@code device}.
   */
  public static DefaultTrainingConfig adam(Device device, float learningRate) {
    return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optDevices(new Device[] {device})
        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build());
  }

  /**
   * Runs {@code epochs} passes over {@code examples} examples, shuffled by {@code seed} (so a run
   * can be repeated), in batches of {@code batchSize}; tells {@code progress} after each.
   *
   * @param kind the student kind, for the log
   * @return the mean loss of the last epoch
   */
  public static double run(
      String kind,
      int examples,
      int epochs,
      int batchSize,
      long seed,
      TrainingProgress progress,
      Step step) {
    var order = new ArrayList<Integer>(examples);
    for (int i = 0; i < examples; i++) {
      order.add(i);
    }
    var random = new Random(seed);
    var scopedStep = scoped(step);
    double epochLoss = 0;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      long epochStart = System.nanoTime();
      Collections.shuffle(order, random);
      epochLoss = 0;
      for (int from = 0; from < examples; from += batchSize) {
        var batch = order.subList(from, Math.min(examples, from + batchSize));
        epochLoss += scopedStep.loss(batch) * batch.size();
      }
      epochLoss /= examples;
      LOG.debugf(
          "training %s: epoch %d/%d, loss %.4f",
          kind, Integer.valueOf(epoch), Integer.valueOf(epochs), Double.valueOf(epochLoss));
      progress.epoch(
          epoch,
          epochs,
          epochLoss,
          examples / Math.max(1e-9, (System.nanoTime() - epochStart) / 1e9));
    }
    return epochLoss;
  }

  /**
   * {@code step} with every call after the first inside an {@link NDScope}, which closes each
   * NDArray made during the call when it returns. DJL's training step leaves arrays behind on the
   * model's manager, freed only when the model closes: without the scope, one minilm-head training
   * on 29,773 texts grew by 4 GB of native memory, and with it the process stayed at 0.75 GB, with
   * the same weights (docs/benchmarks.md). The first call runs outside the scope: the optimizer
   * makes its state (Adam's moments) then, and that must outlive the call.
   */
  public static Step scoped(Step step) {
    var first = new boolean[] {true};
    return batch -> {
      if (first[0]) {
        first[0] = false;
        return step.loss(batch);
      }
      try (var scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        return step.loss(batch);
      }
    };
  }
}
