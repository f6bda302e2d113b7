package io.distillery.students;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.AdamW;
import io.distillery.students.SoftTargets.Distillation;
import io.distillery.students.bert.PretrainedBert;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.jboss.logging.Logger;

/**
 * Fine-tunes a {@code transformer-finetune} student with DJL's PyTorch engine, every encoder
 * parameter and the head, on the GPU when DJL sees one, with the recipe {@link TransformerSettings}
 * describes. The best epoch on the held-out slice of the teacher's labels is the one kept.
 */
final class TransformerTrainer {

  private static final Logger LOG = Logger.getLogger(TransformerTrainer.class);

  /** Texts per forward pass when measuring the held-out slice. */
  private static final int EVAL_BATCH = 64;

  static {
    DjlEnvironment.offline();
  }

  private TransformerTrainer() {}

  /**
   * Fine-tunes the encoder {@code settings.encoder()} names (the shipped one when null) on {@code
   * examples}.
   *
   * @throws IllegalArgumentException when there are no examples, a label is not in {@code labels},
   *     or the encoder directory is unusable
   */
  static TrainedStudent train(
      List<LabeledExample> examples,
      List<String> labels,
      TransformerSettings settings,
      TrainingProgress progress) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no training examples");
    }
    var targets = new float[examples.size()][];
    var hard = new int[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      targets[i] =
          SoftTargets.of(examples.get(i), labels, settings.distillation(), settings.temperature());
      hard[i] = labels.indexOf(examples.get(i).label());
    }
    var split = Split.of(examples.size(), settings.validationShare(), settings.seed());
    var trainTargets = new int[split.train().size()];
    for (int i = 0; i < trainTargets.length; i++) {
      trainTargets[i] = hard[split.train().get(i)];
    }
    var classWeight = ClassWeights.of(trainTargets, labels.size(), settings.classWeights());

    var choice = Devices.choose();
    Device device = choice.device();
    // DJL/PyTorch allows one training at a time per JVM (a static gradient collector).
    synchronized (Engine.getEngine("PyTorch")) {
      Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
      long start = System.nanoTime();
      TransformerFinetuneKind.Parts parts;
      try {
        parts =
            TransformerFinetuneKind.Parts.forTraining(
                settings.encoder(),
                PretrainedBert.named(settings.pretrained()),
                labels.size(),
                settings.maxLength(),
                settings.pooling(),
                device);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot fine-tune the encoder "
                + (settings.encoder() == null
                    ? settings.pretrained() + " that ships with Distillery"
                    : settings.encoder())
                + ": "
                + e.getMessage(),
            e);
      }
      try {
        var encoded = new ArrayList<long[]>(examples.size());
        for (var example : examples) {
          encoded.add(parts.tokenizer().encode(example.text()));
        }
        var run = new Run(parts, encoded, targets, hard, classWeight, labels, settings, progress);
        double loss = run.fit(split);
        double temperature = run.calibrate(split.heldOut());
        LOG.infof(
            "fine-tuning %s: calibrated on %d held-out texts, temperature %.2f",
            TransformerStudent.KIND,
            Integer.valueOf(split.heldOut().size()),
            Double.valueOf(temperature));
        var student = parts.student(labels, temperature);
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new TrainedStudent(
            student, device.toString(), choice.reason(), millis, split.train().size(), loss);
      } catch (RuntimeException e) {
        parts.close();
        throw e;
      }
    }
  }

  /**
   * The training and held-out indices: a seeded shuffle, the first {@code share} held out, or
   * nothing held out when that would be under {@link TransformerSettings#MIN_VALIDATION} texts.
   */
  record Split(List<Integer> train, List<Integer> heldOut) {

    static Split of(int n, double share, long seed) {
      var order = new ArrayList<Integer>(n);
      for (int i = 0; i < n; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(seed ^ 0x5eed5eedL));
      int held = (int) Math.round(n * share);
      if (held < TransformerSettings.MIN_VALIDATION || n - held < 1) {
        return new Split(List.copyOf(order), List.of());
      }
      return new Split(List.copyOf(order.subList(held, n)), List.copyOf(order.subList(0, held)));
    }
  }

  /** One fine-tuning run's state. */
  private static final class Run {
    private final TransformerFinetuneKind.Parts parts;
    private final List<long[]> encoded;
    private final float[][] targets;
    private final int[] hard;
    private final float[] classWeight;
    private final List<String> labels;
    private final TransformerSettings settings;
    private final TrainingProgress progress;

    Run(
        TransformerFinetuneKind.Parts parts,
        List<long[]> encoded,
        float[][] targets,
        int[] hard,
        float[] classWeight,
        List<String> labels,
        TransformerSettings settings,
        TrainingProgress progress) {
      this.parts = parts;
      this.encoded = encoded;
      this.targets = targets;
      this.hard = hard;
      this.classWeight = classWeight;
      this.labels = labels;
      this.settings = settings;
      this.progress = progress;
    }

    /** Runs the epochs, keeps the best held-out epoch; returns the last kept epoch's loss. */
    double fit(Split split) {
      var train = split.train();
      var lengths = new int[train.size()];
      for (int i = 0; i < lengths.length; i++) {
        lengths[i] = encoded.get(train.get(i)).length;
      }
      int stepsPerEpoch = (train.size() + settings.batchSize() - 1) / settings.batchSize();
      int totalSteps = Math.max(2, stepsPerEpoch * settings.epochs());
      int warmup = Math.min(totalSteps - 1, Math.round(totalSteps * settings.warmupShare()));
      var optimizer =
          AdamW.builder()
              .optLearningRateTracker(
                  new WarmupLinearDecay(settings.learningRate(), warmup, totalSteps))
              .optWeightDecays(settings.weightDecay())
              .build();
      var device = parts.model().getNDManager().getDevice();
      var config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optDevices(new Device[] {device})
              .optOptimizer(optimizer);
      var random = new Random(settings.seed());
      try (Trainer trainer = parts.model().newTrainer(config)) {
        trainer.initialize(new Shape(1, 2), new Shape(1, 2));
        double bestScore = Double.NEGATIVE_INFINITY;
        double bestLoss = Double.NaN;
        List<NDArray> best = null;
        int worse = 0;
        Epochs.Step scopedStep = Epochs.scoped(rows -> step(trainer, rows));
        long runStart = System.nanoTime();
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
          long epochStart = System.nanoTime();
          double epochLoss = 0;
          for (var batch : LengthBuckets.epoch(lengths, settings.batchSize(), random)) {
            var rows = new ArrayList<Integer>(batch.size());
            for (int b : batch) {
              rows.add(train.get(b));
            }
            epochLoss += scopedStep.loss(rows) * rows.size();
          }
          epochLoss /= train.size();
          double seconds = (System.nanoTime() - epochStart) / 1e9;
          double perEpoch = (System.nanoTime() - runStart) / 1e9 / epoch;
          progress.epoch(
              epoch, settings.epochs(), epochLoss, train.size() / Math.max(1e-9, seconds));
          if (split.heldOut().isEmpty()) {
            bestLoss = epochLoss;
            LOG.infof(
                "fine-tuning %s: epoch %d/%d, loss %.4f, %.1f texts/s, at most %.0f s left",
                TransformerStudent.KIND,
                Integer.valueOf(epoch),
                Integer.valueOf(settings.epochs()),
                Double.valueOf(epochLoss),
                Double.valueOf(train.size() / Math.max(1e-9, seconds)),
                Double.valueOf(perEpoch * (settings.epochs() - epoch)));
            continue;
          }
          double score = heldOutMacroF1(split.heldOut());
          LOG.infof(
              "fine-tuning %s: epoch %d/%d, loss %.4f, %.1f texts/s, held-out macro-F1 %.3f"
                  + " (teacher's labels), at most %.0f s left",
              TransformerStudent.KIND,
              Integer.valueOf(epoch),
              Integer.valueOf(settings.epochs()),
              Double.valueOf(epochLoss),
              Double.valueOf(train.size() / Math.max(1e-9, seconds)),
              Double.valueOf(score),
              Double.valueOf(perEpoch * (settings.epochs() - epoch)));
          if (score > bestScore) {
            bestScore = score;
            bestLoss = epochLoss;
            closeAll(best);
            best = snapshot();
            worse = 0;
          } else if (++worse >= settings.patience()) {
            LOG.infof(
                "fine-tuning %s: stopping after epoch %d, no better held-out macro-F1 for %d"
                    + " epoch(s); keeping %.3f",
                TransformerStudent.KIND,
                Integer.valueOf(epoch),
                Integer.valueOf(worse),
                Double.valueOf(bestScore));
            break;
          }
        }
        if (best != null) {
          restore(best);
          closeAll(best);
        }
        return bestLoss;
      }
    }

    private float step(Trainer trainer, List<Integer> rows) {
      int classes = labels.size();
      var texts = new ArrayList<long[]>(rows.size());
      var soft = new float[rows.size() * classes];
      var weight = new float[rows.size()];
      for (int r = 0; r < rows.size(); r++) {
        int i = rows.get(r);
        texts.add(encoded.get(i));
        System.arraycopy(targets[i], 0, soft, r * classes, classes);
        weight[r] = classWeight[hard[i]];
      }
      var padded = parts.tokenizer().pad(texts);
      float loss;
      try (NDManager manager = trainer.getManager().newSubManager()) {
        var shape = new Shape(padded.rows(), padded.width());
        var ids = manager.create(padded.ids(), shape);
        var mask = manager.create(padded.mask(), shape);
        var y = manager.create(soft, new Shape(rows.size(), classes));
        var w = manager.create(weight, new Shape(rows.size()));
        float t = (float) settings.temperature();
        try (var collector = trainer.newGradientCollector()) {
          NDArray logits = trainer.forward(new NDList(ids, mask)).singletonOrThrow();
          if (settings.distillation() == Distillation.SOFT && t != 1f) {
            logits = logits.div(t);
          }
          NDArray batchLoss = WeightedCrossEntropy.of(logits, y, w);
          if (settings.distillation() == Distillation.SOFT && t != 1f) {
            // Hinton et al.: gradients of a softened target shrink by 1/T^2; scale them back.
            batchLoss = batchLoss.mul(t * t);
          }
          collector.backward(batchLoss);
          loss = batchLoss.toType(DataType.FLOAT32, false).getFloat();
        }
        if (settings.maxGradNorm() > 0) {
          clipGlobalNorm(manager, settings.maxGradNorm());
        }
      }
      trainer.step();
      return loss;
    }

    /**
     * Scales every gradient by {@code max / norm} when their global L2 norm exceeds {@code max}
     * (PyTorch's {@code clip_grad_norm_}); DJL's optimizers clip each value, not the norm.
     */
    private void clipGlobalNorm(NDManager manager, float max) {
      var grads = new ArrayList<NDArray>();
      var squares = new NDList();
      for (var pair : parts.block().getParameters()) {
        Parameter parameter = pair.getValue();
        if (!parameter.requiresGradient() || !parameter.getArray().hasGradient()) {
          continue;
        }
        NDArray grad = parameter.getArray().getGradient();
        grad.attach(manager);
        grads.add(grad);
        squares.add(grad.square().sum());
      }
      if (grads.isEmpty()) {
        return;
      }
      float norm =
          (float)
              Math.sqrt(NDArrays.stack(squares).sum().toType(DataType.FLOAT64, false).getDouble());
      if (norm > max) {
        float scale = max / (norm + 1e-6f);
        for (var grad : grads) {
          grad.muli(scale);
        }
      }
    }

    /** The macro-F1 of the student's argmax against the teacher's labels on {@code rows}. */
    private double heldOutMacroF1(List<Integer> rows) {
      var predicted = new ArrayList<String>(rows.size());
      var reference = new ArrayList<String>(rows.size());
      var logits = logits(rows);
      for (int r = 0; r < rows.size(); r++) {
        int best = 0;
        for (int k = 1; k < logits[r].length; k++) {
          if (logits[r][k] > logits[r][best]) {
            best = k;
          }
        }
        predicted.add(labels.get(best));
        reference.add(labels.get(hard[rows.get(r)]));
      }
      return Metrics.compare(labels, predicted, reference).macroF1();
    }

    /**
     * Fits a temperature on the held-out slice ({@link Calibration}) and folds it into the head:
     * its weight and bias divided by it give the same argmax and calibrated probabilities, in every
     * way the student is later served. 1 (nothing changed) without a held-out slice.
     */
    double calibrate(List<Integer> heldOut) {
      if (heldOut.isEmpty()) {
        return 1;
      }
      var heldTargets = new float[heldOut.size()][];
      for (int r = 0; r < heldOut.size(); r++) {
        heldTargets[r] = targets[heldOut.get(r)];
      }
      double temperature = Calibration.temperature(logits(heldOut), heldTargets);
      for (var pair : parts.block().head().getParameters()) {
        // In place and outside a gradient collector, as restore() writes parameters.
        pair.getValue().getArray().divi((float) temperature);
      }
      return temperature;
    }

    /** The student's logits on {@code rows}, in batches. */
    private double[][] logits(List<Integer> rows) {
      var out = new double[rows.size()][];
      var manager = parts.model().getNDManager();
      int next = 0;
      for (int from = 0; from < rows.size(); from += EVAL_BATCH) {
        var chunk = rows.subList(from, Math.min(rows.size(), from + EVAL_BATCH));
        var texts = new ArrayList<long[]>(chunk.size());
        for (int i : chunk) {
          texts.add(encoded.get(i));
        }
        var padded = parts.tokenizer().pad(texts);
        try (NDManager sub = manager.newSubManager()) {
          var shape = new Shape(padded.rows(), padded.width());
          var ids = sub.create(padded.ids(), shape);
          var mask = sub.create(padded.mask(), shape);
          float[] flat =
              parts
                  .block()
                  .forward(new ParameterStore(sub, false), new NDList(ids, mask), false)
                  .singletonOrThrow()
                  .toType(DataType.FLOAT32, false)
                  .toFloatArray();
          int classes = labels.size();
          for (int r = 0; r < chunk.size(); r++) {
            var row = new double[classes];
            for (int k = 0; k < classes; k++) {
              row[k] = flat[r * classes + k];
            }
            out[next++] = row;
          }
        }
      }
      return out;
    }

    /** A copy of every parameter's value, on the parameters' device. */
    private List<NDArray> snapshot() {
      var out = new ArrayList<NDArray>();
      for (var pair : parts.block().getParameters()) {
        var array = pair.getValue().getArray();
        // An out-of-place operation allocates new memory: duplicate() and toType(type, true) on
        // the PyTorch engine return arrays sharing the parameter's memory, which would move on
        // with training.
        out.add(array.add(0f));
      }
      return out;
    }

    /**
     * Writes {@code values} back into the parameters, in place. Not {@code copyTo}: on the PyTorch
     * engine it points the parameter at the source's memory, which is freed with the snapshot.
     * Outside a gradient collector no autograd graph is recorded.
     */
    private void restore(List<NDArray> values) {
      int i = 0;
      for (var pair : parts.block().getParameters()) {
        pair.getValue().getArray().muli(0f).addi(values.get(i++));
      }
    }

    private static void closeAll(List<NDArray> arrays) {
      if (arrays != null) {
        arrays.forEach(NDArray::close);
      }
    }
  }
}
