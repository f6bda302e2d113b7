package io.distillery.students.minilm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.distillery.students.minilm.MiniLmHeadSettings.Head;

/**
 * The head as a DJL block, for training and for DJL's parameter file: input a batch of sentence
 * vectors {@code (batch, inputs)}; output the logits {@code (batch, classes)} and the squared norm
 * of the weights (for the loss's L2 term). Its parameters are named {@code w1, b1} and, for an MLP,
 * {@code w2, b2}, shaped as {@link HeadWeights} keeps them.
 */
final class HeadBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Head head;
  private final int inputs;
  private final int hidden;
  private final int classes;
  private final Parameter w1;
  private final Parameter b1;
  private final Parameter w2;
  private final Parameter b2;

  /**
   * @param hidden hidden units of an MLP; ignored for a logistic head
   */
  HeadBlock(Head head, int inputs, int hidden, int classes) {
    super(VERSION);
    this.head = head;
    this.inputs = inputs;
    this.hidden = head == Head.MLP ? hidden : 0;
    this.classes = classes;
    int first = head == Head.MLP ? hidden : classes;
    this.w1 = addParameter(weight("w1", new Shape(first, inputs)));
    this.b1 = addParameter(bias("b1", new Shape(first)));
    if (head == Head.MLP) {
      this.w2 = addParameter(weight("w2", new Shape(classes, hidden)));
      this.b2 = addParameter(bias("b2", new Shape(classes)));
    } else {
      this.w2 = null;
      this.b2 = null;
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    var device = x.getDevice();
    NDArray first = store.getValue(w1, device, training);
    NDArray out = Linear.linear(x, first, store.getValue(b1, device, training)).singletonOrThrow();
    NDArray squaredNorm = first.square().sum();
    if (head == Head.MLP) {
      NDArray second = store.getValue(w2, device, training);
      out =
          Linear.linear(Activation.relu(out), second, store.getValue(b2, device, training))
              .singletonOrThrow();
      squaredNorm = squaredNorm.add(second.square().sum());
    }
    return new NDList(out, squaredNorm);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), classes), new Shape()};
  }

  /**
   * The parameters as they are now, copied to the JVM.
   *
   * @throws IllegalArgumentException when a parameter (say, one read from a file) does not have
   *     this head's shape
   */
  HeadWeights weights() {
    if (head == Head.LOGISTIC) {
      return HeadWeights.logistic(
          inputs, classes, floats(w1, classes, inputs), floats(b1, classes));
    }
    return HeadWeights.mlp(
        inputs,
        hidden,
        classes,
        floats(w1, hidden, inputs),
        floats(b1, hidden),
        floats(w2, classes, hidden),
        floats(b2, classes));
  }

  /** Sets the (initialised) parameters to {@code weights}, which must have this block's shape. */
  void set(HeadWeights weights) {
    if (weights.head != head
        || weights.inputs != inputs
        || weights.hidden != hidden
        || weights.classes != classes) {
      throw new IllegalArgumentException("the weights do not have this head's shape");
    }
    w1.getArray().set(weights.w1);
    b1.getArray().set(weights.b1);
    if (head == Head.MLP) {
      w2.getArray().set(weights.w2);
      b2.getArray().set(weights.b2);
    }
  }

  private static float[] floats(Parameter parameter, long... shape) {
    NDArray array = parameter.getArray();
    var expected = new Shape(shape);
    if (!array.getShape().equals(expected)) {
      throw new IllegalArgumentException(
          "parameter "
              + parameter.getName()
              + " has shape "
              + array.getShape()
              + ", expected "
              + expected);
    }
    return array.toFloatArray();
  }

  private static Parameter weight(String name, Shape shape) {
    return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape).build();
  }

  private static Parameter bias(String name, Shape shape) {
    return Parameter.builder().setName(name).setType(Parameter.Type.BIAS).optShape(shape).build();
  }
}
