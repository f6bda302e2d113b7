package io.distillery.students;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import io.distillery.students.bert.BertEncoderBlock;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code transformer-finetune} student at inference: the fine-tuned encoder and head on the
 * device they were trained or loaded on, with the encoder's own tokenizer. Thread-safe: each call
 * works in its own native memory scope, and the parameters are frozen, so no call records a
 * gradient graph. Holds native memory until {@link #close()}.
 */
public final class TransformerStudent implements Student {

  /** The kind name on model versions and in config. */
  public static final String KIND = "transformer-finetune";

  /** The head's parameter file in an artifact. */
  static final String HEAD_FILE = "head.params";

  private final Model model;
  private final EncoderClassifierBlock block;
  private final TransformerTokenizer tokenizer;
  private final byte[] tokenizerJson;
  private final List<String> labels;
  private final Pooling pooling;
  private final int hidden;
  private final String encoderModel;
  private final double temperature;

  /**
   * Takes ownership of {@code model} (whose block is {@code block}) and {@code tokenizer}: {@link
   * #close()} closes them.
   *
   * @param temperature the calibration temperature already folded into the head (1: none), for the
   *     artifact's record
   */
  TransformerStudent(
      Model model,
      EncoderClassifierBlock block,
      TransformerTokenizer tokenizer,
      byte[] tokenizerJson,
      List<String> labels,
      Pooling pooling,
      int hidden,
      String encoderModel,
      double temperature) {
    this.model = model;
    this.block = block;
    this.tokenizer = tokenizer;
    this.tokenizerJson = tokenizerJson.clone();
    this.labels = List.copyOf(labels);
    this.pooling = pooling;
    this.hidden = hidden;
    this.encoderModel = encoderModel;
    this.temperature = temperature;
    block.freezeParameters(true);
    // One call before the student is shared: it puts the TorchScript module into eval mode.
    predict("");
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<String> labels() {
    return labels;
  }

  /** The device the student computes on, as DJL names it. */
  public String device() {
    return model.getNDManager().getDevice().toString();
  }

  @Override
  public Prediction predict(String text) {
    var batch = tokenizer.pad(List.of(tokenizer.encode(text)));
    float[] logits;
    try (NDManager manager = model.getNDManager().newSubManager()) {
      var shape = new Shape(batch.rows(), batch.width());
      var ids = manager.create(batch.ids(), shape);
      var mask = manager.create(batch.mask(), shape);
      logits =
          block
              .forward(new ParameterStore(manager, false), new NDList(ids, mask), false)
              .singletonOrThrow()
              .toType(DataType.FLOAT32, false)
              .toFloatArray();
    }
    var scores = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      scores[i] = logits[i];
    }
    return new Prediction(labels, Prediction.softmax(scores));
  }

  /**
   * Writes the artifact's files into {@code dir}: the fine-tuned encoder (DJL parameters, or
   * TorchScript for a user's export), the head's parameters, and the tokenizer.
   *
   * @return what {@link TransformerFinetuneKind#load} needs besides the files
   */
  Map<String, String> writeTo(Path dir) throws IOException {
    var settings = new java.util.TreeMap<String, String>();
    if (block.encoder() instanceof BertEncoderBlock bert) {
      try (OutputStream out =
              Files.newOutputStream(dir.resolve(TransformerFinetuneKind.BERT_FILE));
          var data = new DataOutputStream(out)) {
        bert.saveParameters(data);
      }
      settings.put(TransformerFinetuneKind.ENCODER, TransformerFinetuneKind.BERT);
      settings.putAll(bert.config().toMap());
    } else {
      TorchScriptEncoder.write(
          (PtSymbolBlock) block.encoder(), dir.resolve(TorchScriptEncoder.ARTIFACT_FILE));
      settings.put(TransformerFinetuneKind.ENCODER, TransformerFinetuneKind.TORCHSCRIPT);
    }
    try (OutputStream out = Files.newOutputStream(dir.resolve(HEAD_FILE));
        var data = new DataOutputStream(out)) {
      block.head().saveParameters(data);
    }
    Files.write(dir.resolve(TransformerTokenizer.FILE), tokenizerJson);
    settings.put(TransformerFinetuneKind.MAX_LENGTH, Integer.toString(tokenizer.maxLength()));
    settings.put(TransformerFinetuneKind.POOLING, pooling.settingName());
    settings.put(TransformerFinetuneKind.HIDDEN, Integer.toString(hidden));
    settings.put(TransformerFinetuneKind.ENCODER_MODEL, encoderModel);
    // Already folded into the head; recorded so that the model version says it.
    settings.put(
        TransformerFinetuneKind.CALIBRATION_TEMPERATURE,
        String.format(java.util.Locale.ROOT, "%.4f", temperature));
    return settings;
  }

  /** The block, for tests that look at the trained parameters. */
  EncoderClassifierBlock block() {
    return block;
  }

  @Override
  public void close() {
    tokenizer.close();
    model.close();
  }
}
