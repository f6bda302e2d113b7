package io.distillery.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UniformSamplerTest {

  private static Set<String> sampled(UniformSampler sampler, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "text-" + i)
        .filter(sampler::sampled)
        .collect(Collectors.toSet());
  }

  @Test
  void shouldSampleTheSameIdsOnEveryReplayAndRoughlyTheConfiguredRate() {
    var first = sampled(new UniformSampler(0.1), 10_000);
    var replay = sampled(new UniformSampler(0.1), 10_000);

    // Binomial(10000, 0.1) has a standard deviation of 30; 0.09..0.11 is more than three of them
    // either side.
    assertThat(first.size()).isBetween(900, 1100);
    assertThat(replay).isEqualTo(first);
  }

  @Test
  void shouldKeepTheSampleAtALowerRateInsideTheSampleAtAHigherOne() {
    // One hash per id, compared with the rate: raising the rate only adds ids, so reviews already
    // done stay useful.
    assertThat(sampled(new UniformSampler(0.2), 2_000))
        .containsAll(sampled(new UniformSampler(0.05), 2_000));
  }

  @Test
  void shouldRefuseARateOutsideZeroToOne() {
    for (var rate : new double[] {-0.01, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> new UniformSampler(rate))
          .as("rate %s", rate)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sample-rate");
    }
  }
}
