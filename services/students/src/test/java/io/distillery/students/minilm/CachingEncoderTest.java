package io.distillery.students.minilm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CachingEncoderTest {

  private static MiniLmEncoder model;

  @BeforeAll
  static void loadModel() {
    model = new MiniLmEncoder();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void shouldEmbedEachDistinctTextOnceAndGiveTheModelsVectors() {
    var seen = new Recording(model);
    var cache = new CachingEncoder(seen, 10);

    float[][] first = cache.embed(List.of("a good film", "a bad film", "a good film"));
    float[][] second = cache.embed(List.of("a bad film", "no film at all"));

    assertThat(seen.calls)
        .containsExactly(List.of("a good film", "a bad film"), List.of("no film at all"));
    assertThat(first[0]).containsExactly(model.embed(List.of("a good film"))[0]);
    assertThat(first[2]).containsExactly(first[0]);
    assertThat(second[0]).containsExactly(first[1]);
    assertThat(second[1]).containsExactly(model.embed(List.of("no film at all"))[0]);
    assertThat(cache.size()).isEqualTo(3);
  }

  @Test
  void shouldForgetTheLeastRecentlyUsedTextBeyondItsCapacity() {
    var seen = new Recording(model);
    var cache = new CachingEncoder(seen, 2);

    cache.embed(List.of("one"));
    cache.embed(List.of("two"));
    cache.embed(List.of("one"));
    cache.embed(List.of("three"));
    cache.embed(List.of("one", "three"));
    cache.embed(List.of("two"));

    // "two" was the least recently used when "three" came, so it had to be embedded again.
    assertThat(seen.calls)
        .containsExactly(List.of("one"), List.of("two"), List.of("three"), List.of("two"));
    assertThat(cache.size()).isEqualTo(2);
  }

  /** The real encoder, noting which texts reach it. */
  private static final class Recording implements TextEncoder {
    final List<List<String>> calls = new ArrayList<>();
    private final TextEncoder encoder;

    Recording(TextEncoder encoder) {
      this.encoder = encoder;
    }

    @Override
    public String modelName() {
      return encoder.modelName();
    }

    @Override
    public float[][] embed(List<String> texts) {
      calls.add(List.copyOf(texts));
      return encoder.embed(texts);
    }
  }
}
