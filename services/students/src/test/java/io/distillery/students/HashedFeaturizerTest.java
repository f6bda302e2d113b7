package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HashedFeaturizerTest {

  private static Set<Integer> buckets(HashedFeaturizer featurizer, String text) {
    return Arrays.stream(featurizer.features(text).indices()).boxed().collect(Collectors.toSet());
  }

  @Test
  void shouldCountWordsAndBigramsAndNormalise() {
    var featurizer = new HashedFeaturizer(1 << 16, true);
    var x = featurizer.features("Good good film");

    // "good" (twice: 1 + ln 2), "film", "good good", "good film".
    assertThat(x.size()).isEqualTo(4);
    double norm = 0;
    for (float v : x.values()) {
      norm += v * v;
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void shouldLetMisspelledWordsShareCharacterNgrams() {
    var words = new HashedFeaturizer(1 << 18, false);
    var chars = new HashedFeaturizer(1 << 18, false, 4);

    assertThat(buckets(words, "filmmaking"))
        .doesNotContainAnyElementsOf(buckets(words, "filmaking"));
    var shared = new java.util.HashSet<>(buckets(chars, "filmmaking"));
    shared.retainAll(buckets(chars, "filmaking"));
    // "<fi", "fil", "ilm", "aki", "kin", "ing", "ng>", "<fil", "film", "akin", "king", "ing>", ...
    assertThat(shared).hasSizeGreaterThanOrEqualTo(10);
  }

  @Test
  void shouldRoundTripItsSettingsAndReadOldOnesWithoutCharacterNgrams() {
    var featurizer = new HashedFeaturizer(1 << 12, true, 5);

    assertThat(HashedFeaturizer.fromSettings(featurizer.settings())).isEqualTo(featurizer);
    assertThat(
            HashedFeaturizer.fromSettings(
                Map.of("type", "hashed-words", "buckets", "4096", "bigrams", "true")))
        .isEqualTo(new HashedFeaturizer(4096, true, 0));
    assertThatThrownBy(() -> new HashedFeaturizer(1 << 12, true, 2))
        .hasMessageContaining("charNgrams");
    assertThatThrownBy(() -> new HashedFeaturizer(1000, true)).hasMessageContaining("power of two");
  }
}
