package io.distillery.students.minilm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.distillery.students.minilm.MiniLmHeadSettings.Head;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HeadBlockTest {

  private static final int INPUTS = 384;
  private static final int CLASSES = 3;

  @ParameterizedTest
  @EnumSource(Head.class)
  void shouldScoreOnTheJvmAsTheTrainedDjlBlockDoes(Head head) {
    var random = new Random(11);
    int rows = 5;
    var x = new float[rows * INPUTS];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian() * 0.05f;
    }
    try (Model model = Model.newInstance("head", Device.cpu(), "PyTorch")) {
      var block = new HeadBlock(head, INPUTS, 32, CLASSES);
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, INPUTS));
      var manager = model.getNDManager();
      float[] djl =
          block
              .forward(
                  new ParameterStore(manager, false),
                  new NDList(manager.create(x, new Shape(rows, INPUTS))),
                  false)
              .get(0)
              .softmax(1)
              .toFloatArray();

      var weights = block.weights();
      for (int r = 0; r < rows; r++) {
        var vector = new float[INPUTS];
        System.arraycopy(x, r * INPUTS, vector, 0, INPUTS);
        double[] jvm = weights.probabilities(vector);
        for (int k = 0; k < CLASSES; k++) {
          assertThat(jvm[k]).isCloseTo(djl[r * CLASSES + k], within(1e-5));
        }
      }
    }
  }
}
