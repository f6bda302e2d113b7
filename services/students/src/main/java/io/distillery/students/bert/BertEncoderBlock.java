package io.distillery.students.bert;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.distillery.students.DjlEnvironment;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code BertModel} encoder without its pooler, as DJL blocks that the PyTorch
 * engine trains end to end (every parameter takes a gradient) on the CPU or a GPU.
 *
 * <p>Input: {@code NDList(input_ids, attention_mask)}, both int64 {@code [batch, seq]}, the mask 1
 * for real tokens and 0 for padding. Output: {@code NDList(last_hidden_state)}, float32 {@code
 * [batch, seq, hidden]}. Token types are all segment 0. The mask becomes {@code (1 - mask) *
 * -10000} added to every attention score (older Hugging Face code; the ONNX export adds float32's
 * minimum instead): either way padding's softmax weight underflows to exactly 0, and -10000 stays
 * finite in half precision. The hidden states of padding positions are computed but mean nothing.
 * Dropout runs only when {@code training} is true.
 *
 * <p>Before use, call {@link #initialize(NDManager, DataType, Shape...)} with the two input shapes
 * ({@code [batch, seq]} each; any sizes, they fix no parameter), or let a Trainer do it; then load
 * weights ({@link PretrainedBert}, or {@code loadParameters}). {@link #huggingFaceParameters()}
 * names every parameter as in a Hugging Face state dict. Saved parameters carry the {@link
 * BertConfig}'s sizes, and loading them into a block of other sizes fails.
 */
public final class BertEncoderBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  /** What 0 in the attention mask adds to the attention scores. */
  private static final float MASKED = -10_000f;

  static {
    DjlEnvironment.offline();
  }

  private final BertConfig config;
  private final BertEmbeddingsBlock embeddings;
  private final List<BertLayerBlock> layers;

  /** An untrained encoder of {@code config}'s shape. */
  public BertEncoderBlock(BertConfig config) {
    super(VERSION);
    this.config = config;
    this.embeddings = addChildBlock("embeddings", new BertEmbeddingsBlock(config));
    var layers = new ArrayList<BertLayerBlock>(config.layers());
    for (int i = 0; i < config.layers(); i++) {
      layers.add(addChildBlock("layer_" + i, new BertLayerBlock(config)));
    }
    this.layers = Collections.unmodifiableList(layers);
  }

  /** The encoder's shape. */
  public BertConfig config() {
    return config;
  }

  /**
   * Every parameter of the block under its Hugging Face {@code BertModel} state-dict name (e.g.
   * {@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.bias}),
   * in state-dict order. Linear weights are {@code [out, in]}, as in PyTorch.
   */
  public Map<String, Parameter> huggingFaceParameters() {
    var named = new LinkedHashMap<String, Parameter>();
    named.put("embeddings.word_embeddings.weight", parameter(embeddings.words(), "embedding"));
    named.put(
        "embeddings.position_embeddings.weight", parameter(embeddings.positions(), "embedding"));
    named.put(
        "embeddings.token_type_embeddings.weight", parameter(embeddings.tokenTypes(), "embedding"));
    layerNorm(named, "embeddings.LayerNorm", embeddings.norm());
    for (int i = 0; i < layers.size(); i++) {
      var layer = layers.get(i);
      var prefix = "encoder.layer." + i + ".";
      var attention = layer.attention();
      linear(named, prefix + "attention.self.query", attention.getQueryProjection());
      linear(named, prefix + "attention.self.key", attention.getKeyProjection());
      linear(named, prefix + "attention.self.value", attention.getValueProjection());
      linear(named, prefix + "attention.output.dense", attention.getResultProjection());
      layerNorm(named, prefix + "attention.output.LayerNorm", layer.attentionNorm());
      linear(named, prefix + "intermediate.dense", layer.intermediate());
      linear(named, prefix + "output.dense", layer.output());
      layerNorm(named, prefix + "output.LayerNorm", layer.outputNorm());
    }
    return named;
  }

  private static void linear(Map<String, Parameter> named, String module, Block linear) {
    named.put(module + ".weight", parameter(linear, "weight"));
    named.put(module + ".bias", parameter(linear, "bias"));
  }

  private static void layerNorm(Map<String, Parameter> named, String module, Block norm) {
    named.put(module + ".weight", parameter(norm, "gamma"));
    named.put(module + ".bias", parameter(norm, "beta"));
  }

  private static Parameter parameter(Block block, String name) {
    var parameter = block.getDirectParameters().get(name);
    if (parameter == null) {
      throw new IllegalStateException(block + " has no parameter " + name);
    }
    return parameter;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() != 2) {
      throw new IllegalArgumentException(
          "a BERT encoder takes (input_ids, attention_mask), not " + inputs.size() + " arrays");
    }
    NDArray ids = inputs.get(0);
    NDArray mask = inputs.get(1);
    Shape shape = ids.getShape();
    if (shape.dimension() != 2 || !shape.equals(mask.getShape())) {
      throw new IllegalArgumentException(
          "input_ids and attention_mask must both be [batch, seq], not "
              + shape
              + " and "
              + mask.getShape());
    }
    NDArray states = embeddings.forward(store, new NDList(ids), training, params).head();
    // Computed once for all layers; a 4-D mask is added to the scores as it is.
    NDArray offsets =
        mask.toType(states.getDataType(), false)
            .sub(1f)
            .mul(-MASKED)
            .reshape(shape.get(0), 1, 1, shape.get(1));
    for (var layer : layers) {
      states = layer.forward(store, new NDList(states, offsets), training, params).head();
    }
    return new NDList(states);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape ids = inputShapes[0];
    Shape hidden = ids.add(config.hidden());
    Shape offsets = new Shape(ids.get(0), 1, 1, ids.get(1));
    embeddings.initialize(manager, dataType, ids);
    for (var layer : layers) {
      layer.initialize(manager, dataType, hidden, offsets);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(config.hidden())};
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeUTF(configText(config));
  }

  @Override
  protected void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    if (loadVersion != VERSION) {
      throw new MalformedModelException(
          "cannot load BERT encoder parameters of version " + loadVersion + ", only " + VERSION);
    }
    readInputShapes(is);
    var saved = is.readUTF();
    if (!saved.equals(configText(config))) {
      throw new MalformedModelException(
          "the saved BERT encoder is " + saved + ", this block is " + configText(config));
    }
  }

  /** The sizes that fix the parameters' shapes and meaning; dropout rates may differ. */
  private static String configText(BertConfig config) {
    return "vocab="
        + config.vocabSize()
        + " hidden="
        + config.hidden()
        + " layers="
        + config.layers()
        + " heads="
        + config.heads()
        + " intermediate="
        + config.intermediate()
        + " positions="
        + config.maxPositions()
        + " types="
        + config.typeVocabSize()
        + " eps="
        + config.layerNormEps();
  }
}
