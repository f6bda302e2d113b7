package io.distillery.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.students.Prediction;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TeacherRouteTest {

  private static final List<String> LABELS = List.of("negative", "neutral", "positive");
  private final TeacherRoute route = new TeacherRoute(0.6, 0.2, 0.05);

  @Test
  void shouldCallAPredictionUncertainUnderTheThresholdOrTheMargin() {
    assertThat(route.uncertain(prediction(0.1, 0.3, 0.6))).as("at the threshold").isFalse();
    assertThat(route.uncertain(prediction(0.1, 0.31, 0.59))).as("under the threshold").isTrue();
    assertThat(new TeacherRoute(0.5, 0.2, 0).uncertain(prediction(0.0, 0.45, 0.55)))
        .as("sure enough, but the runner-up is within the margin")
        .isTrue();
    assertThat(route.uncertain(prediction(0.05, 0.05, 0.9))).isFalse();
  }

  @Test
  void shouldSendEveryUncertainTextAndAStableShareOfTheRest() {
    assertThat(route.route("any", true)).contains(TeacherRoute.Reason.UNCERTAIN);
    long sampled =
        IntStream.range(0, 20_000)
            .mapToObj(i -> route.route("text-" + i, false))
            .filter(r -> r.isPresent())
            .peek(r -> assertThat(r).contains(TeacherRoute.Reason.SAMPLE))
            .count();
    assertThat(sampled).as("5 %% of 20,000 certain texts").isBetween(850L, 1_150L);
    assertThat(route.route("text-7", false))
        .as("the same id draws the same way every time (a replay samples the same texts)")
        .isEqualTo(route.route("text-7", false));
    assertThat(new TeacherRoute(0.6, 0.2, 0).route("text-7", false)).isEmpty();
  }

  @Test
  void shouldNameTheReasonsAsTheTeachersTopicHeaderCarriesThem() {
    assertThat(ClassifierCounters.TEACHER_REASONS)
        .containsExactly("no-model", "uncertain", "sample");
  }

  private static Prediction prediction(double... probabilities) {
    return new Prediction(LABELS, probabilities);
  }
}
