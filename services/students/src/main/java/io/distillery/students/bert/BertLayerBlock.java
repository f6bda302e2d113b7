package io.distillery.students.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One Hugging Face {@code BertLayer}, post-LayerNorm: {@code h = LN(x + dropout(attention(x)))},
 * then {@code LN(h + dropout(dense(gelu(dense(h)))))}. Inputs: the hidden states {@code [batch,
 * seq, hidden]} and the additive attention mask {@code [batch, 1, 1, seq]} (0 for real tokens, a
 * large negative number for padding); output: the new hidden states.
 *
 * <p>The attention is DJL's {@link ScaledDotProductAttentionBlock}, which is Hugging Face's {@code
 * BertSelfAttention} plus {@code BertSelfOutput.dense}: query, key and value projections with bias,
 * scores scaled by {@code 1/sqrt(head size)}, a four-dimensional mask added to the scores as given,
 * softmax over the keys, dropout on the probabilities, the heads concatenated and projected. (Read
 * off DJL 0.36's source; the parity test holds it to the ONNX export.) {@link Activation#gelu} on
 * PyTorch is {@code torch.nn.functional.gelu} with its default exact-erf form, as BERT's {@code
 * hidden_act="gelu"}.
 */
final class BertLayerBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final BertConfig config;
  private final ScaledDotProductAttentionBlock attention;
  private final Dropout attentionDropout;
  private final LayerNorm attentionNorm;
  private final Linear intermediate;
  private final Linear output;
  private final Dropout outputDropout;
  private final LayerNorm outputNorm;

  BertLayerBlock(BertConfig config) {
    super(VERSION);
    this.config = config;
    this.attention =
        addChildBlock(
            "attention",
            ScaledDotProductAttentionBlock.builder()
                .setEmbeddingSize(config.hidden())
                .setHeadCount(config.heads())
                .optAttentionProbsDropoutProb(config.attentionDropout())
                .build());
    this.attentionDropout = addChildBlock("attention_output_dropout", dropout(config));
    this.attentionNorm = addChildBlock("attention_output_LayerNorm", layerNorm(config));
    this.intermediate =
        addChildBlock(
            "intermediate_dense", Linear.builder().setUnits(config.intermediate()).build());
    this.output = addChildBlock("output_dense", Linear.builder().setUnits(config.hidden()).build());
    this.outputDropout = addChildBlock("output_dropout", dropout(config));
    this.outputNorm = addChildBlock("output_LayerNorm", layerNorm(config));
  }

  /** A LayerNorm over the last axis of {@code [batch, seq, hidden]} with the model's epsilon. */
  static LayerNorm layerNorm(BertConfig config) {
    // Without an axis DJL's LayerNorm normalises over every axis but the batch.
    return LayerNorm.builder().axis(2).optEpsilon(config.layerNormEps()).build();
  }

  private static Dropout dropout(BertConfig config) {
    return Dropout.builder().optRate(config.hiddenDropout()).build();
  }

  ScaledDotProductAttentionBlock attention() {
    return attention;
  }

  LayerNorm attentionNorm() {
    return attentionNorm;
  }

  Linear intermediate() {
    return intermediate;
  }

  Linear output() {
    return output;
  }

  LayerNorm outputNorm() {
    return outputNorm;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray states = inputs.get(0);
    NDArray attended = attention.forward(store, inputs, training, params).head();
    NDArray attendedOut =
        attentionDropout.forward(store, new NDList(attended), training, params).head();
    NDArray normed =
        attentionNorm.forward(store, new NDList(states.add(attendedOut)), training, params).head();
    NDArray expanded = intermediate.forward(store, new NDList(normed), training, params).head();
    NDArray projected =
        output.forward(store, new NDList(Activation.gelu(expanded)), training, params).head();
    NDArray projectedOut =
        outputDropout.forward(store, new NDList(projected), training, params).head();
    return outputNorm.forward(store, new NDList(normed.add(projectedOut)), training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape hidden = inputShapes[0];
    Shape expanded = hidden.slice(0, 2).add(config.intermediate());
    attention.initialize(manager, dataType, inputShapes);
    attentionDropout.initialize(manager, dataType, hidden);
    attentionNorm.initialize(manager, dataType, hidden);
    intermediate.initialize(manager, dataType, hidden);
    output.initialize(manager, dataType, expanded);
    outputDropout.initialize(manager, dataType, hidden);
    outputNorm.initialize(manager, dataType, hidden);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
