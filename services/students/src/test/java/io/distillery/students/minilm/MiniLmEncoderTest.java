package io.distillery.students.minilm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEncoderTest {

  private static final List<String> TEXTS =
      List.of(
          "The cat sits on the mat.",
          "A kitten is sitting on a rug.",
          "Stock markets fell sharply today after the central bank raised interest rates again.",
          "ok",
          "The striker scored twice in the second half.");

  private static MiniLmEncoder encoder;

  @BeforeAll
  static void loadModel() {
    encoder = new MiniLmEncoder();
  }

  @AfterAll
  static void closeModel() {
    encoder.close();
  }

  @Test
  void shouldEmbedEveryTextAsAUnitVector() {
    float[][] vectors = encoder.embed(TEXTS);

    assertThat(vectors).hasNumberOfRows(TEXTS.size());
    for (var vector : vectors) {
      assertThat(vector).hasSize(MiniLmEncoder.DIMENSIONS);
      assertThat(dot(vector, vector)).isCloseTo(1.0, within(1e-5));
    }
    assertThat(encoder.embed(List.of())).isEmpty();
  }

  @Test
  void shouldPlaceSimilarTextsCloserThanDissimilarOnes() {
    float[][] v = encoder.embed(TEXTS);

    double catAndKitten = dot(v[0], v[1]);
    assertThat(catAndKitten).isGreaterThan(0.5);
    assertThat(catAndKitten).isGreaterThan(dot(v[0], v[2]) + 0.3);
    assertThat(catAndKitten).isGreaterThan(dot(v[1], v[4]) + 0.3);
  }

  @Test
  void shouldEmbedATextTheSameWhateverItIsEmbeddedWith() {
    float[][] together = encoder.embed(TEXTS);

    for (int i = 0; i < TEXTS.size(); i++) {
      assertThat(encoder.embed(List.of(TEXTS.get(i)))[0]).containsExactly(together[i]);
    }
  }

  @Test
  void shouldKeepInputOrderWhenBatchesAreSortedByLength() {
    float[][] alone = encoder.embed(TEXTS);
    float[][] batched;
    try (var batching = new MiniLmEncoder(2)) {
      batched = batching.embed(TEXTS);
    }

    // Batched vectors differ slightly from solo ones (the model's int8 scales are computed per
    // batch), but each must still be nearest to its own text's.
    for (int i = 0; i < TEXTS.size(); i++) {
      assertThat(dot(batched[i], alone[i])).isGreaterThan(0.95);
      for (int j = 0; j < TEXTS.size(); j++) {
        if (j != i) {
          assertThat(dot(batched[i], alone[i])).isGreaterThan(dot(batched[i], alone[j]));
        }
      }
    }
  }

  @Test
  void shouldCutTextsAt128Tokens() {
    // "good movie." is three tokens: both texts are cut to the same first 126 tokens.
    float[][] v = encoder.embed(List.of("good movie. ".repeat(60), "good movie. ".repeat(2_000)));

    assertThat(v[1]).containsExactly(v[0]);
  }

  @Test
  void shouldEmbedFromSeveralThreadsAtOnce() throws Exception {
    float[][] expected = encoder.embed(TEXTS);
    var pool = Executors.newFixedThreadPool(4);
    try {
      var calls = new ArrayList<Callable<float[][]>>();
      for (int t = 0; t < 8; t++) {
        calls.add(() -> encoder.embed(TEXTS));
      }
      for (Future<float[][]> result : pool.invokeAll(calls)) {
        float[][] actual = result.get();
        for (int i = 0; i < TEXTS.size(); i++) {
          assertThat(actual[i]).containsExactly(expected[i]);
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  static double dot(float[] a, float[] b) {
    double dot = 0;
    for (int d = 0; d < a.length; d++) {
      dot += a[d] * b[d];
    }
    return dot;
  }
}
