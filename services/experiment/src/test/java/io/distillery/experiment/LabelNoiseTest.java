package io.distillery.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelNoiseTest {

  private static final List<String> LABELS = List.of("neg", "neu", "pos");

  private static List<String> labels(int n) {
    return IntStream.range(0, n).mapToObj(i -> LABELS.get(i % LABELS.size())).toList();
  }

  private static int changed(List<String> before, List<String> after) {
    return (int)
        IntStream.range(0, before.size()).filter(i -> !before.get(i).equals(after.get(i))).count();
  }

  @ParameterizedTest
  @CsvSource({
    "1000, 0.3, 300",
    "1000, 0.1, 100",
    "7, 0.1, 1",
    "7, 0.2, 1",
    "332, 0.2, 66",
    "50, 0, 0"
  })
  void shouldFlipExactlyTheRequestedShare(int n, double share, int expected) {
    var before = labels(n);

    var flipped = LabelNoise.flip(before, LABELS, share, 11);

    assertThat(flipped.flipped()).isEqualTo(expected);
    assertThat(changed(before, flipped.labels())).isEqualTo(expected);
    assertThat(flipped.labels()).hasSize(n).allMatch(LABELS::contains);
  }

  @Test
  void shouldFlipTheSameLabelsTheSameWayForTheSameSeed() {
    var before = labels(500);

    assertThat(LabelNoise.flip(before, LABELS, 0.2, 3).labels())
        .isEqualTo(LabelNoise.flip(before, LABELS, 0.2, 3).labels())
        .isNotEqualTo(LabelNoise.flip(before, LABELS, 0.2, 4).labels());
  }

  @Test
  void shouldSpreadFlipsOverEveryOtherLabel() {
    var before = java.util.Collections.nCopies(3000, "neg");

    var after = LabelNoise.flip(before, LABELS, 0.5, 5).labels();

    // 1500 flips, each to neu or pos with probability 1/2: 750 ± 5 standard deviations (≈ 19).
    long neu = after.stream().filter("neu"::equals).count();
    long pos = after.stream().filter("pos"::equals).count();
    assertThat(neu + pos).isEqualTo(1500);
    assertThat(neu).isBetween(655L, 845L);
  }

  @Test
  void shouldRefuseSharesOutsideZeroToOneAndUnknownLabels() {
    assertThatThrownBy(() -> LabelNoise.flip(labels(10), LABELS, 1.0, 1))
        .hasMessageContaining("[0, 1)");
    assertThatThrownBy(() -> LabelNoise.flip(labels(10), LABELS, -0.1, 1))
        .hasMessageContaining("[0, 1)");
    assertThatThrownBy(() -> LabelNoise.flip(List.of("maybe"), LABELS, 0.5, 1))
        .hasMessageContaining("maybe");
    assertThatThrownBy(() -> LabelNoise.flip(List.of("a"), List.of("a"), 0.5, 1))
        .hasMessageContaining("two labels");
  }

  @Test
  void shouldSampleDistinctItemsInTheirOrderAndAllWhenAskedForMore() {
    var items = new ArrayList<Integer>();
    for (int i = 0; i < 100; i++) {
      items.add(i);
    }

    var sample = LabelNoise.sample(items, 30, 9);

    assertThat(sample).hasSize(30).doesNotHaveDuplicates().isSorted();
    assertThat(LabelNoise.sample(items, 30, 9)).isEqualTo(sample);
    assertThat(LabelNoise.sample(items, 30, 10)).isNotEqualTo(sample);
    assertThat(LabelNoise.sample(items, 100, 9)).isEqualTo(items);
    assertThat(LabelNoise.sample(items, 500, 9)).isEqualTo(items);
  }
}
