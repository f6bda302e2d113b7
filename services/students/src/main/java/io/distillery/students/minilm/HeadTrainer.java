package io.distillery.students.minilm;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import io.distillery.students.ClassWeights;
import io.distillery.students.DjlEnvironment;
import io.distillery.students.Epochs;
import io.distillery.students.TrainingProgress;
import io.distillery.students.WeightedCrossEntropy;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Trains a head on fixed vectors with DJL's PyTorch engine: Adam on a class-weighted cross-entropy
 * plus an L2 term, on the device given. Knows nothing of texts: the caller embeds.
 */
final class HeadTrainer {

  private static final Logger LOG = Logger.getLogger(HeadTrainer.class);

  static {
    DjlEnvironment.offline();
  }

  /**
   * A trained head.
   *
   * @param weights its parameters
   * @param finalLoss mean weighted loss of the last epoch, L2 term included
   */
  record Result(HeadWeights weights, double finalLoss) {}

  private HeadTrainer() {}

  /**
   * @param vectors one input vector per example, all of one length
   * @param targets each example's class, {@code 0 <= target < classes}
   * @param seed seeds initialisation and shuffling
   */
  static Result train(
      float[][] vectors,
      int[] targets,
      int classes,
      MiniLmHeadSettings settings,
      long seed,
      Device device,
      TrainingProgress progress) {
    int n = vectors.length;
    int inputs = vectors[0].length;
    var classWeight = ClassWeights.of(targets, classes, settings.classWeights());
    // DJL/PyTorch allows one training at a time per JVM (a static gradient collector).
    synchronized (Engine.getEngine("PyTorch")) {
      Engine.getEngine("PyTorch").setRandomSeed((int) seed);
      var block = new HeadBlock(settings.head(), inputs, settings.hiddenSize(), classes);
      try (Model model = Model.newInstance("minilm-head", device, "PyTorch")) {
        model.setBlock(block);
        double epochLoss;
        try (Trainer trainer = model.newTrainer(Epochs.adam(device, settings.learningRate()))) {
          trainer.initialize(new Shape(1, inputs));
          epochLoss =
              Epochs.run(
                  "minilm-head",
                  n,
                  settings.epochs(),
                  settings.batchSize(),
                  seed,
                  progress,
                  batch -> step(trainer, batch, vectors, targets, classWeight, classes, settings));
        }
        return new Result(block.weights(), epochLoss);
      }
    }
  }

  private static float step(
      Trainer trainer,
      List<Integer> batch,
      float[][] vectors,
      int[] targets,
      float[] classWeight,
      int classes,
      MiniLmHeadSettings settings) {
    int inputs = vectors[0].length;
    var x = new float[batch.size() * inputs];
    var oneHot = new float[batch.size() * classes];
    var weight = new float[batch.size()];
    for (int row = 0; row < batch.size(); row++) {
      int i = batch.get(row);
      System.arraycopy(vectors[i], 0, x, row * inputs, inputs);
      oneHot[row * classes + targets[i]] = 1f;
      weight[row] = classWeight[targets[i]];
    }
    float loss;
    try (NDManager manager = trainer.getManager().newSubManager()) {
      var input = manager.create(x, new Shape(batch.size(), inputs));
      var y = manager.create(oneHot, new Shape(batch.size(), classes));
      var w = manager.create(weight, new Shape(batch.size()));
      try (var collector = trainer.newGradientCollector()) {
        NDList out = trainer.forward(new NDList(input));
        // L2 in the loss rather than as optimizer weight decay: DJL's first step() rejects
        // gradients that sum to exactly 0.0, and a softmax's gradients sum to zero across classes
        // by construction, so without a term that breaks the symmetry a sound run can fail.
        NDArray batchLoss =
            WeightedCrossEntropy.of(out.get(0), y, w).add(out.get(1).mul(settings.weightDecay()));
        collector.backward(batchLoss);
        loss = batchLoss.toType(DataType.FLOAT32, false).getFloat();
      }
    }
    trainer.step();
    return loss;
  }
}
