package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one softmax every student kind turns its scores into probabilities with. */
class PredictionTest {

  @Test
  void softmaxGivesProbabilitiesInTheLogitsOrder() {
    var p = Prediction.softmax(new double[] {0, Math.log(3)});
    assertThat(p[0]).isCloseTo(0.25, within(1e-12));
    assertThat(p[1]).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void softmaxDoesNotOverflowOnLargeLogits() {
    var p = Prediction.softmax(new double[] {1000, 1000, -1000});
    assertThat(p).containsExactly(new double[] {0.5, 0.5, 0}, within(1e-12));
  }

  @Test
  void thePredictionNamesTheMostProbableLabelAndItsMargin() {
    var prediction =
        new Prediction(List.of("a", "b", "c"), Prediction.softmax(new double[] {1, 3, 2}));
    assertThat(prediction.label()).isEqualTo("b");
    assertThat(prediction.margin())
        .isCloseTo(prediction.probabilities()[1] - prediction.probabilities()[2], within(1e-12));
  }
}
