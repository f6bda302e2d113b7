package io.distillery.auditor;

import io.distillery.common.StableHash;

/** Deterministic uniform sampling: an id is in the sample when its hash falls below the rate. */
public final class UniformSampler {

  private static final String SALT = "distillery.auditor.uniform";

  private final double rate;

  public UniformSampler(double rate) {
    // Written so NaN fails too: it compares false with everything, so it would silently sample
    // nothing.
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(
          "distillery.auditor.sample-rate must be in [0, 1], got " + rate);
    }
    this.rate = rate;
  }

  /** Whether the text with this id goes to review. */
  public boolean sampled(String id) {
    return StableHash.unit(id, SALT) < rate;
  }
}
