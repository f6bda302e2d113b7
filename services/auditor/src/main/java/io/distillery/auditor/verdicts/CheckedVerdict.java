package io.distillery.auditor.verdicts;

import io.distillery.schema.ReviewVerdict;

/**
 * A verdict as read and checked by {@link VerdictCheck}: either one to count (or a withdrawal: no
 * verdict), or a dead letter with its original bytes and the reason. Lives only between two
 * processors of one sub-topology, never in a store or on a topic.
 *
 * @param verdict the verdict; null for a withdrawal or a dead letter
 * @param original the value as it was read
 * @param deadLetterReason why the verdict cannot count; null when it can
 */
public record CheckedVerdict(ReviewVerdict verdict, byte[] original, String deadLetterReason) {

  /** Whether the verdict goes to the dead-letter topic. */
  public boolean deadLetter() {
    return deadLetterReason != null;
  }

  /** The human label it sets for its text, or null when it withdraws one (a skip, a tombstone). */
  String humanLabel() {
    return verdict == null || verdict.getSkipped() ? null : verdict.getLabel();
  }
}
