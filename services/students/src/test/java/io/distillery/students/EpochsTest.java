package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochsTest {

  @Test
  void shouldFreeWhatEachStepAfterTheFirstLeavesOnALongLivedManager() {
    DjlEnvironment.offline();
    // The model's manager lives as long as the training: what a step attaches to it stays unless
    // the step's scope closes it.
    try (var model = NDManager.newBaseManager("PyTorch")) {
      var made = new ArrayList<NDArray>();
      var seen = new ArrayList<List<Integer>>();

      double loss =
          Epochs.run(
              "test",
              6,
              2,
              2,
              7,
              TrainingProgress.NONE,
              batch -> {
                seen.add(List.copyOf(batch));
                made.add(model.ones(new Shape(1000)));
                return 0.5;
              });

      assertThat(loss).isEqualTo(0.5);
      assertThat(seen).as("2 epochs of 3 batches of 2").hasSize(6);
      assertThat(seen.stream().mapToInt(List::size).sum()).isEqualTo(12);
      // The first step runs outside the scope: an optimizer makes its state there.
      assertThat(made.get(0).isReleased()).isFalse();
      assertThat(made.subList(1, made.size())).allSatisfy(a -> assertThat(a.isReleased()).isTrue());
    }
  }
}
