package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class WeightedCrossEntropyTest {

  @Test
  void shouldWeighEachRowAndDivideByTheWeightsNotTheRows() {
    DjlEnvironment.offline();
    try (var manager = NDManager.newBaseManager("PyTorch")) {
      // Row 0: p(class 0) = 1/2. Row 1: p(class 0) = 3/4 (logits ln 3 and 0).
      var logits = manager.create(new float[] {0, 0, (float) Math.log(3), 0}, new Shape(2, 2));
      var oneHot = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
      var weights = manager.create(new float[] {1, 3}, new Shape(2));

      double loss = WeightedCrossEntropy.of(logits, oneHot, weights).getFloat();

      // Row 0 is class 0 at 1/2, row 1 class 1 at 1/4: (1 · ln 2 + 3 · ln 4) / (1 + 3).
      assertThat(loss).isCloseTo((Math.log(2) + 3 * Math.log(4)) / 4, within(1e-6));
      var soft = manager.create(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new Shape(2, 2));
      double softLoss = WeightedCrossEntropy.of(logits, soft, weights).getFloat();
      double row1 = -(0.5 * Math.log(0.75) + 0.5 * Math.log(0.25));
      assertThat(softLoss).isCloseTo((Math.log(2) + 3 * row1) / 4, within(1e-6));
    }
  }
}
