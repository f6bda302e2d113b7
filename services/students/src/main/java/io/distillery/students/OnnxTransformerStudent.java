package io.distillery.students;

import ai.djl.engine.Engine;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;

/**
 * A fine-tuned {@code transformer-finetune} student served by ONNX Runtime: the shipped encoder's
 * ONNX graph with the fine-tuned weights written into it ({@code PretrainedBert.onnxWith}), mean or
 * first-token pooling and the linear head in plain Java. The same numbers as the DJL block it was
 * made from (a test holds them to 1e-5), several times faster on a CPU: DJL runs the block as one
 * native call per operation, ONNX Runtime as one fused graph. Thread-safe: an {@link OrtSession}
 * may be run from several threads. Holds native memory until {@link #close()}.
 */
final class OnnxTransformerStudent implements Student {

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final TransformerTokenizer tokenizer;
  private final List<String> labels;
  private final Pooling pooling;
  private final float[][] headWeight;
  private final float[] headBias;
  private final boolean typeIds;

  /**
   * Takes ownership of {@code tokenizer}.
   *
   * @param onnx the encoder's ONNX model, weights included
   * @param headWeight the head's {@code [classes, hidden]} weight
   * @param headBias the head's {@code [classes]} bias
   * @throws IOException when ONNX Runtime cannot load the model
   */
  OnnxTransformerStudent(
      byte[] onnx,
      TransformerTokenizer tokenizer,
      List<String> labels,
      Pooling pooling,
      float[][] headWeight,
      float[] headBias)
      throws IOException {
    // DJL's OnnxRuntime engine owns the process's one ORT environment: let it make it first, or
    // the two clash (DESIGN.md, pitfalls).
    Engine.getEngine("OnnxRuntime");
    this.environment = OrtEnvironment.getEnvironment();
    try (var options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      this.session = environment.createSession(onnx, options);
    } catch (OrtException e) {
      throw new IOException(
          "ONNX Runtime cannot load the fine-tuned encoder: " + e.getMessage(), e);
    }
    this.tokenizer = tokenizer;
    this.labels = List.copyOf(labels);
    this.pooling = pooling;
    this.headWeight = headWeight;
    this.headBias = headBias;
    this.typeIds = session.getInputNames().contains("token_type_ids");
  }

  @Override
  public String kind() {
    return TransformerStudent.KIND;
  }

  @Override
  public List<String> labels() {
    return labels;
  }

  @Override
  public Prediction predict(String text) {
    long[] ids = tokenizer.encode(text);
    int length = ids.length;
    long[] mask = new long[length];
    java.util.Arrays.fill(mask, 1L);
    long[] shape = {1, length};
    float[][] states;
    try (var idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        var maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        var typeTensor =
            OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[length]), shape)) {
      var inputs = new HashMap<String, OnnxTensor>();
      inputs.put("input_ids", idTensor);
      inputs.put("attention_mask", maskTensor);
      if (typeIds) {
        inputs.put("token_type_ids", typeTensor);
      }
      try (var result = session.run(inputs)) {
        states = ((float[][][]) result.get(0).getValue())[0];
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed to score a text: " + e.getMessage(), e);
    }
    int hidden = states[0].length;
    var pooled = new double[hidden];
    if (pooling == Pooling.CLS) {
      for (int h = 0; h < hidden; h++) {
        pooled[h] = states[0][h];
      }
    } else {
      for (float[] token : states) {
        for (int h = 0; h < hidden; h++) {
          pooled[h] += token[h];
        }
      }
      for (int h = 0; h < hidden; h++) {
        pooled[h] /= length;
      }
    }
    var logits = new double[headBias.length];
    for (int k = 0; k < logits.length; k++) {
      double sum = headBias[k];
      for (int h = 0; h < hidden; h++) {
        sum += headWeight[k][h] * pooled[h];
      }
      logits[k] = sum;
    }
    return new Prediction(labels, Prediction.softmax(logits));
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close the ONNX Runtime session", e);
    } finally {
      tokenizer.close();
    }
  }
}
