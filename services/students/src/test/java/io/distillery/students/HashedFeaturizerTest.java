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

  /**
   * The features are those of the strings they hash, as the featurizer first built them (kept here
   * as {@link #asStrings}): the same buckets with the same values, on every text of two real
   * datasets (movie reviews; tweets with emoji, hashtags and non-Latin letters), so every model
   * trained before scores as it did.
   */
  @Test
  void shouldGiveTheFeaturesOfTheStringsItHashesOnRealTexts() throws Exception {
    var datasets =
        java.nio.file.Path.of(
            System.getProperty("distillery.datasets", "../../../shared/datasets"));
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    int checked = 0;
    for (var name : java.util.List.of("movie-review-polarity", "tweet-emoji")) {
      for (var line :
          java.nio.file.Files.readAllLines(datasets.resolve(name).resolve("data.jsonl"))) {
        var text = json.readTree(line).get("text").asText();
        for (var featurizer :
            java.util.List.of(HashedFeaturizer.DEFAULT, new HashedFeaturizer(1 << 12, false))) {
          var fast = featurizer.features(text);
          var reference = StringHashedFeaturizer.features(featurizer, text);
          var got = new java.util.TreeMap<Integer, Float>();
          for (int i = 0; i < fast.size(); i++) {
            got.put(fast.indices()[i], fast.values()[i]);
          }
          assertThat(got.keySet()).as(text).containsExactlyElementsOf(reference.keySet());
          for (var e : reference.entrySet()) {
            assertThat(got.get(e.getKey()))
                .as(text)
                .isCloseTo(e.getValue(), org.assertj.core.data.Offset.offset(1e-6f));
          }
          assertThat(fast.indices()).as("each bucket once").doesNotHaveDuplicates();
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(13_000);
  }
}
