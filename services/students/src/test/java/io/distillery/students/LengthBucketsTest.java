package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

  /** Lengths 0..n-1 in a shuffled order, so each example's length is also its rank by length. */
  private static int[] distinctLengths(int n, long seed) {
    var lengths = new ArrayList<Integer>();
    for (int i = 0; i < n; i++) {
      lengths.add(i);
    }
    java.util.Collections.shuffle(lengths, new Random(seed));
    return lengths.stream().mapToInt(Integer::intValue).toArray();
  }

  private static List<Integer> flatten(List<List<Integer>> batches) {
    return batches.stream().flatMap(List::stream).toList();
  }

  @Test
  void shouldYieldEveryIndexExactlyOncePerEpoch() {
    int n = 1_037; // several pools and a partial last pool
    var batches = LengthBuckets.epoch(distinctLengths(n, 1), 4, new Random(7));

    var indices = flatten(batches);
    assertThat(indices).hasSize(n).doesNotHaveDuplicates();
    assertThat(indices).allSatisfy(i -> assertThat(i).isBetween(0, n - 1));
  }

  @Test
  void shouldNeverMakeABatchLargerThanTheBatchSize() {
    var batches = LengthBuckets.epoch(distinctLengths(1_037, 2), 8, new Random(7));

    assertThat(batches)
        .allSatisfy(batch -> assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(8));
  }

  @Test
  void shouldLeaveAtMostOneShortBatchPerPool() {
    int batchSize = 3;
    int pool = batchSize * LengthBuckets.POOL_BATCHES;
    // pools of 150, 150 and 20 examples: 50 + 50 + 7 batches, only the last one of the 20 short
    int n = 2 * pool + 20;

    var batches = LengthBuckets.epoch(distinctLengths(n, 3), batchSize, new Random(7));

    assertThat(batches).hasSize(50 + 50 + 7);
    assertThat(batches.stream().filter(b -> b.size() < batchSize)).hasSize(1);
  }

  @Test
  void shouldBatchExamplesThatAreConsecutiveInLengthOrderWhenAllFitInOnePool() {
    int batchSize = 4;
    int n = batchSize * LengthBuckets.POOL_BATCHES - 2; // one pool, last batch short
    int[] lengths = distinctLengths(n, 4);

    var batches = LengthBuckets.epoch(lengths, batchSize, new Random(7));

    // lengths are a permutation of 0..n-1, so a batch cut from the sorted pool holds a run of
    // consecutive lengths starting at a multiple of the batch size
    assertThat(batches)
        .allSatisfy(
            batch -> {
              var batchLengths = batch.stream().map(i -> lengths[i]).sorted().toList();
              int first = batchLengths.get(0);
              assertThat(first % batchSize).isZero();
              for (int k = 0; k < batchLengths.size(); k++) {
                assertThat(batchLengths.get(k)).isEqualTo(first + k);
              }
            });
  }

  @Test
  void shouldMixShortAndLongTextsInAtMostOneBatchPerPool() {
    int batchSize = 5;
    int n = 3 * batchSize * LengthBuckets.POOL_BATCHES; // three full pools
    int[] lengths = new int[n];
    var random = new Random(5);
    for (int i = 0; i < n; i++) {
      lengths[i] = random.nextBoolean() ? 8 : 400;
    }

    var batches = LengthBuckets.epoch(lengths, batchSize, new Random(7));

    // each pool is sorted before it is cut, so only the batch on its short/long boundary mixes
    long mixed =
        batches.stream()
            .filter(b -> b.stream().map(i -> lengths[i]).distinct().count() > 1)
            .count();
    assertThat(mixed).isLessThanOrEqualTo(3);
  }

  @Test
  void shouldKeepEachBatchInAscendingLengthOrder() {
    int[] lengths = distinctLengths(1_037, 6);

    var batches = LengthBuckets.epoch(lengths, 4, new Random(7));

    assertThat(batches)
        .allSatisfy(batch -> assertThat(batch.stream().map(i -> lengths[i]).toList()).isSorted());
  }

  @Test
  void shouldRepeatTheSameBatchesForTheSameSeed() {
    int[] lengths = distinctLengths(1_037, 8);

    var first = LengthBuckets.epoch(lengths, 4, new Random(42));
    var second = LengthBuckets.epoch(lengths, 4, new Random(42));

    assertThat(second).isEqualTo(first);
  }

  @Test
  void shouldOrderTheBatchesDifferentlyForADifferentSeed() {
    int[] lengths = distinctLengths(1_037, 8);

    var first = LengthBuckets.epoch(lengths, 4, new Random(42));
    var second = LengthBuckets.epoch(lengths, 4, new Random(43));

    assertThat(flatten(second)).isNotEqualTo(flatten(first));
  }

  @Test
  void shouldShuffleAgainInTheNextEpochOfTheSameRun() {
    int[] lengths = distinctLengths(1_037, 8);
    var random = new Random(42);

    var first = LengthBuckets.epoch(lengths, 4, random);
    var second = LengthBuckets.epoch(lengths, 4, random);

    assertThat(flatten(second)).isNotEqualTo(flatten(first));
  }

  @Test
  void shouldYieldNoBatchesForNoExamples() {
    assertThat(LengthBuckets.epoch(new int[0], 4, new Random(1))).isEmpty();
  }

  @Test
  void shouldRefuseABatchSizeBelowOne() {
    assertThatThrownBy(() -> LengthBuckets.epoch(new int[] {1, 2, 3}, 0, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize");
    assertThatThrownBy(() -> LengthBuckets.epoch(new int[] {1, 2, 3}, -1, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
