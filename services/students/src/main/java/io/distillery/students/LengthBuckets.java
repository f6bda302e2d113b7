package io.distillery.students;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Batches for dynamic padding: every epoch shuffles the examples, cuts them into pools of {@value
 * #POOL_BATCHES} batches, sorts each pool by length and cuts it into batches, then shuffles the
 * batches. Each batch holds texts of about one length, so it is padded to its own longest text
 * rather than the run's, and a short-text batch costs little; the pools keep each epoch's order
 * random. The usual "bucket iterator" of fine-tuning toolkits, written here because it is a dozen
 * lines and DJL's datasets pad to a fixed length.
 */
public final class LengthBuckets {

  /** Batches per sorted pool. */
  static final int POOL_BATCHES = 50;

  private LengthBuckets() {}

  /**
   * One epoch's batches of example indices.
   *
   * @param lengths each example's length in tokens
   * @param batchSize examples per batch (the last batch of a pool may hold fewer)
   * @param random the run's seeded source, so a run can be repeated
   */
  public static List<List<Integer>> epoch(int[] lengths, int batchSize, Random random) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    }
    var order = new ArrayList<Integer>(lengths.length);
    for (int i = 0; i < lengths.length; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    var batches = new ArrayList<List<Integer>>();
    int pool = batchSize * POOL_BATCHES;
    for (int from = 0; from < order.size(); from += pool) {
      var slice = new ArrayList<>(order.subList(from, Math.min(order.size(), from + pool)));
      slice.sort(Comparator.comparingInt(i -> lengths[i]));
      for (int b = 0; b < slice.size(); b += batchSize) {
        batches.add(List.copyOf(slice.subList(b, Math.min(slice.size(), b + batchSize))));
      }
    }
    Collections.shuffle(batches, random);
    return batches;
  }
}
