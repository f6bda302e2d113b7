package io.distillery.students;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Trains the {@code hashed-linear} student with DJL's PyTorch engine: Adam on a class-weighted
 * cross-entropy, on the GPU when DJL sees one.
 */
public final class HashedLinearTrainer {

  private static final Logger LOG = Logger.getLogger(HashedLinearTrainer.class);

  static {
    DjlEnvironment.offline();
  }

  private HashedLinearTrainer() {}

  /**
   * The batch size for {@code examples} texts: a thirty-second of them, between 32 and {@code
   * largest}. Every Adam step updates the whole hashed weight matrix, so large batches make large
   * sets fast; small sets need small batches, or eight epochs are too few steps to learn from
   * (global-warming-stance's 1,569 labels: macro-F1 0.595 in batches of 512, 0.623 in batches of
   * 48).
   */
  static int batchSize(int examples, int largest) {
    return Math.max(Math.min(32, largest), Math.min(largest, examples / 32));
  }

  /**
   * Trains on {@code examples}; every example's label must be in {@code labels}.
   *
   * @param progress told after every epoch
   */
  public static TrainedStudent train(
      List<LabeledExample> examples,
      List<String> labels,
      TrainingSettings settings,
      TrainingProgress progress) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no training examples");
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      index.put(labels.get(i), i);
    }
    var featurizer = settings.featurizer();
    var features = new ArrayList<SparseVector>(examples.size());
    var targets = new int[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      var label = index.get(examples.get(i).label());
      if (label == null) {
        throw new IllegalArgumentException(
            "label '" + examples.get(i).label() + "' is not one of " + labels);
      }
      features.add(featurizer.features(examples.get(i).text()));
      targets[i] = label;
    }
    var classWeight = ClassWeights.of(targets, labels.size(), settings.classWeights());

    int batchSize = batchSize(examples.size(), settings.batchSize());
    var choice = Devices.choose();
    var device = choice.device();
    var reason = choice.reason();
    // DJL/PyTorch allows one training at a time per JVM (a static gradient collector).
    synchronized (Engine.getEngine("PyTorch")) {
      Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
      long start = System.nanoTime();
      var block = new SparseLinearBlock(featurizer.buckets(), labels.size());
      try (Model model = Model.newInstance("student", device, "PyTorch")) {
        model.setBlock(block);
        double epochLoss;
        try (Trainer trainer = model.newTrainer(Epochs.adam(device, settings.learningRate()))) {
          trainer.initialize(new Shape(1, 1), new Shape(1, 1));
          epochLoss =
              Epochs.run(
                  HashedLinearStudent.KIND,
                  examples.size(),
                  settings.epochs(),
                  batchSize,
                  settings.seed(),
                  progress,
                  batch ->
                      step(
                          trainer,
                          batch,
                          features,
                          targets,
                          classWeight,
                          labels.size(),
                          settings.weightDecay()));
        }
        var student = new HashedLinearStudent(featurizer, labels, block.weights(), block.biases());
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new TrainedStudent(
            student, device.toString(), reason, millis, examples.size(), epochLoss);
      }
    }
  }

  private static float step(
      Trainer trainer,
      List<Integer> batch,
      List<SparseVector> features,
      int[] targets,
      float[] classWeight,
      int classes,
      float l2) {
    int width = 1;
    for (int i : batch) {
      width = Math.max(width, features.get(i).size());
    }
    var idx = new long[batch.size() * width];
    var val = new float[batch.size() * width];
    var oneHot = new float[batch.size() * classes];
    var weight = new float[batch.size()];
    for (int row = 0; row < batch.size(); row++) {
      var x = features.get(batch.get(row));
      for (int j = 0; j < x.size(); j++) {
        idx[row * width + j] = x.indices()[j];
        val[row * width + j] = x.values()[j];
      }
      oneHot[row * classes + targets[batch.get(row)]] = 1f;
      weight[row] = classWeight[targets[batch.get(row)]];
    }
    float loss;
    try (NDManager manager = trainer.getManager().newSubManager()) {
      var indices = manager.create(idx, new Shape(batch.size(), width));
      var values = manager.create(val, new Shape(batch.size(), width));
      var y = manager.create(oneHot, new Shape(batch.size(), classes));
      var w = manager.create(weight, new Shape(batch.size()));
      try (var collector = trainer.newGradientCollector()) {
        NDList out = trainer.forward(new NDList(indices, values));
        // L2 in the loss rather than as optimizer weight decay: DJL's first step() rejects
        // gradients
        // that sum to exactly 0.0, and a softmax's gradients sum to zero across classes by
        // construction, so without a term that breaks the symmetry a sound run can fail at random.
        NDArray batchLoss = WeightedCrossEntropy.of(out.get(0), y, w).add(out.get(1).mul(l2));
        collector.backward(batchLoss);
        loss = batchLoss.toType(DataType.FLOAT32, false).getFloat();
      }
    }
    trainer.step();
    return loss;
  }
}
