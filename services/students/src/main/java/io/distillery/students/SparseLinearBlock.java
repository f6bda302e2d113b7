package io.distillery.students;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multinomial logistic regression over sparse hashed features: {@code logits = sum_i value_i *
 * W[index_i] + b}. Input: padded indices (batch x width, int64) and their values (batch x width,
 * float32; padding has value 0). A dense {@code Linear} would multiply by 2^18 zeros per text;
 * gathering rows through the embedding op costs only the non-zero features.
 */
final class SparseLinearBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int classes;
  private final Parameter weight;
  private final Parameter bias;

  SparseLinearBlock(int buckets, int classes) {
    super(VERSION);
    this.classes = classes;
    this.weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(buckets, classes))
                .build());
    this.bias =
        addParameter(
            Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(classes))
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray indices = inputs.get(0);
    NDArray values = inputs.get(1);
    NDArray w = store.getValue(weight, indices.getDevice(), training);
    NDArray b = store.getValue(bias, indices.getDevice(), training);
    NDArray rows = Embedding.embedding(indices, w, SparseFormat.DENSE).singletonOrThrow();
    NDArray logits = rows.mul(values.expandDims(2)).sum(new int[] {1}).add(b);
    // The squared norm of the weights, for the L2 term of the training loss (see
    // HashedLinearTrainer). An op's result belongs to the manager of the array it is called on:
    // called on the weights, the squared copy (buckets x classes floats, 2 MB by default) would
    // belong to the model and live until the training ends, one per step. The batch's manager
    // (the inputs') frees it with the step.
    NDArray squared = w.square();
    squared.attach(indices.getManager());
    return new NDList(logits, squared.sum());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), classes), new Shape()};
  }

  /** The trained weights, row-major (bucket, class). */
  float[] weights() {
    return weight.getArray().toFloatArray();
  }

  /** The trained biases, one per class. */
  float[] biases() {
    return bias.getArray().toFloatArray();
  }
}
