package io.distillery.students;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Fine-tunes a {@code transformer-finetune} student with DJL's PyTorch engine: every encoder
 * parameter and the head, Adam on a class-weighted cross-entropy, on the GPU when DJL sees one.
 */
final class TransformerTrainer {

  private static final Logger LOG = Logger.getLogger(TransformerTrainer.class);

  static {
    DjlEnvironment.offline();
  }

  private TransformerTrainer() {}

  /**
   * Fine-tunes the encoder in {@code settings.encoder()} on {@code examples}.
   *
   * @throws IllegalArgumentException when there are no examples, a label is not in {@code labels},
   *     or the encoder directory is unset or unusable
   */
  static TrainedStudent train(
      List<LabeledExample> examples,
      List<String> labels,
      TransformerSettings settings,
      TrainingProgress progress) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no training examples");
    }
    var targets = targets(examples, labels);
    var classWeight = ClassWeights.of(targets, labels.size(), settings.classWeights());
    Path encoderDir = settings.encoder();
    if (encoderDir == null) {
      throw new IllegalArgumentException(
          "no encoder directory set for "
              + TransformerStudent.KIND
              + ": point it at a directory with "
              + TorchScriptEncoder.USER_FILE
              + " and "
              + TransformerTokenizer.FILE
              + " (see docs/transformer-student.md)");
    }

    var choice = Devices.choose();
    Device device = choice.device();
    // DJL/PyTorch allows one training at a time per JVM (a static gradient collector).
    synchronized (Engine.getEngine("PyTorch")) {
      Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
      long start = System.nanoTime();
      TransformerFinetuneKind.Parts parts;
      try {
        parts =
            TransformerFinetuneKind.Parts.open(
                encoderDir.resolve(TorchScriptEncoder.USER_FILE),
                encoderDir.resolve(TransformerTokenizer.FILE),
                labels.size(),
                settings.maxLength(),
                settings.pooling(),
                device);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot fine-tune the encoder in " + encoderDir + ": " + e.getMessage(), e);
      }
      try {
        var encoded = new ArrayList<long[]>(examples.size());
        for (var example : examples) {
          encoded.add(parts.tokenizer().encode(example.text()));
        }
        double loss = fit(parts, encoded, targets, classWeight, labels.size(), settings, progress);
        var student = parts.student(labels);
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new TrainedStudent(
            student, device.toString(), choice.reason(), millis, examples.size(), loss);
      } catch (RuntimeException e) {
        parts.close();
        throw e;
      }
    }
  }

  private static int[] targets(List<LabeledExample> examples, List<String> labels) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      index.put(labels.get(i), i);
    }
    var targets = new int[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      var label = index.get(examples.get(i).label());
      if (label == null) {
        throw new IllegalArgumentException(
            "label '" + examples.get(i).label() + "' is not one of " + labels);
      }
      targets[i] = label;
    }
    return targets;
  }

  /** Runs the epochs; returns the mean loss of the last one. */
  private static double fit(
      TransformerFinetuneKind.Parts parts,
      List<long[]> encoded,
      int[] targets,
      float[] classWeight,
      int classes,
      TransformerSettings settings,
      TrainingProgress progress) {
    var device = parts.model().getNDManager().getDevice();
    try (Trainer trainer = parts.model().newTrainer(Epochs.adam(device, settings.learningRate()))) {
      trainer.initialize(new Shape(1, 2), new Shape(1, 2));
      return Epochs.run(
          TransformerStudent.KIND,
          encoded.size(),
          settings.epochs(),
          settings.batchSize(),
          settings.seed(),
          progress,
          batch -> step(trainer, parts.tokenizer(), batch, encoded, targets, classWeight, classes));
    }
  }

  private static float step(
      Trainer trainer,
      TransformerTokenizer tokenizer,
      List<Integer> batch,
      List<long[]> encoded,
      int[] targets,
      float[] classWeight,
      int classes) {
    var texts = new ArrayList<long[]>(batch.size());
    var oneHot = new float[batch.size() * classes];
    var weight = new float[batch.size()];
    for (int row = 0; row < batch.size(); row++) {
      int i = batch.get(row);
      texts.add(encoded.get(i));
      oneHot[row * classes + targets[i]] = 1f;
      weight[row] = classWeight[targets[i]];
    }
    var padded = tokenizer.pad(texts);
    float loss;
    try (NDManager manager = trainer.getManager().newSubManager()) {
      var shape = new Shape(padded.rows(), padded.width());
      var ids = manager.create(padded.ids(), shape);
      var mask = manager.create(padded.mask(), shape);
      var y = manager.create(oneHot, new Shape(batch.size(), classes));
      var w = manager.create(weight, new Shape(batch.size()));
      try (var collector = trainer.newGradientCollector()) {
        NDArray logits = trainer.forward(new NDList(ids, mask)).singletonOrThrow();
        NDArray picked = logits.logSoftmax(1).mul(y).sum(new int[] {1});
        NDArray batchLoss = picked.mul(w).sum().neg().div(w.sum().maximum(1e-6f));
        collector.backward(batchLoss);
        loss = batchLoss.toType(DataType.FLOAT32, false).getFloat();
      }
    }
    trainer.step();
    return loss;
  }
}
