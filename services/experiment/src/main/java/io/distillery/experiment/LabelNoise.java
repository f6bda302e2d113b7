package io.distillery.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Label noise on purpose, for the ablation: a given share of the training labels is replaced, each
 * by one of the other labels chosen uniformly. Exactly {@code round(share · n)} labels change, the
 * texts chosen uniformly without replacement, so a curve over shares is a curve over a known amount
 * of corruption; the same seed always flips the same labels the same way.
 */
public final class LabelNoise {

  /**
   * The labels after flipping.
   *
   * @param labels the labels, in the input order
   * @param flipped how many differ from the input
   */
  public record Flipped(List<String> labels, int flipped) {}

  private LabelNoise() {}

  /**
   * Flips {@code share} of {@code labels} to another label of {@code labelSet}.
   *
   * @param share in [0, 1)
   * @throws IllegalArgumentException for a share outside [0, 1), a label set of fewer than two, or
   *     a label not in it
   */
  public static Flipped flip(List<String> labels, List<String> labelSet, double share, long seed) {
    if (!(share >= 0 && share < 1)) {
      throw new IllegalArgumentException("a noise share must be in [0, 1), got " + share);
    }
    if (labelSet.size() < 2) {
      throw new IllegalArgumentException("flipping needs at least two labels, got " + labelSet);
    }
    var out = new ArrayList<String>(labels);
    int count = (int) Math.round(share * labels.size());
    var random = new SplittableRandom(seed);
    for (int index : choose(labels.size(), count, random)) {
      int current = labelSet.indexOf(labels.get(index));
      if (current < 0) {
        throw new IllegalArgumentException(
            "label '" + labels.get(index) + "' is not one of " + labelSet);
      }
      int other = random.nextInt(labelSet.size() - 1);
      out.set(index, labelSet.get(other >= current ? other + 1 : other));
    }
    return new Flipped(List.copyOf(out), count);
  }

  /**
   * {@code count} distinct indices of {@code 0 … n − 1}, chosen uniformly (a partial Fisher-Yates
   * shuffle), in increasing order.
   */
  static int[] choose(int n, int count, SplittableRandom random) {
    if (count < 0 || count > n) {
      throw new IllegalArgumentException("cannot choose " + count + " of " + n);
    }
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i;
    }
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int swap = indices[i];
      indices[i] = indices[j];
      indices[j] = swap;
    }
    int[] chosen = Arrays.copyOf(indices, count);
    Arrays.sort(chosen);
    return chosen;
  }

  /**
   * A uniform sample of {@code size} of {@code items} without replacement, in their order; all of
   * them when {@code size} is not smaller. The sample-size curve draws its training sets with it.
   */
  public static <T> List<T> sample(List<T> items, int size, long seed) {
    if (size >= items.size()) {
      return List.copyOf(items);
    }
    var out = new ArrayList<T>(size);
    for (int index : choose(items.size(), size, new SplittableRandom(seed))) {
      out.add(items.get(index));
    }
    return List.copyOf(out);
  }
}
