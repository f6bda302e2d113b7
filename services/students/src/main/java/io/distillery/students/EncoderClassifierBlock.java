package io.distillery.students;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A pretrained encoder with a classification head: {@code input_ids, attention_mask -> encoder ->
 * pooling -> linear -> logits}. Fine-tuning trains both; the head is a single linear layer, as in
 * Hugging Face's {@code *ForSequenceClassification} models.
 */
final class EncoderClassifierBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Block encoder;
  private final Linear head;
  private final Pooling pooling;
  private final int hidden;
  private final int classes;

  EncoderClassifierBlock(Block encoder, int hidden, int classes, Pooling pooling) {
    super(VERSION);
    this.encoder = addChildBlock("encoder", encoder);
    this.head = addChildBlock("head", Linear.builder().setUnits(classes).build());
    this.pooling = pooling;
    this.hidden = hidden;
    this.classes = classes;
  }

  /** The encoder, as loaded. */
  Block encoder() {
    return encoder;
  }

  /** The classification head. */
  Linear head() {
    return head;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray mask = inputs.get(1);
    NDArray states = encoder.forward(store, inputs, training, params).get(0);
    NDArray pooled = pooling.pool(states, mask);
    return head.forward(store, new NDList(pooled), training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    head.initialize(manager, dataType, new Shape(1, hidden));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
  }
}
