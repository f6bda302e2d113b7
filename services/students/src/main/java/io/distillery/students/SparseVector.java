package io.distillery.students;

/**
 * Feature indices with their values; indices are distinct.
 *
 * @param indices bucket indices
 * @param values matching values
 */
public record SparseVector(int[] indices, float[] values) {
  /** Number of non-zero features. */
  public int size() {
    return indices.length;
  }
}
