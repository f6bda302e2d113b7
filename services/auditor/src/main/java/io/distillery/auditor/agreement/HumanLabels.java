package io.distillery.auditor.agreement;

import io.distillery.auditor.verdicts.CheckedVerdict;
import java.util.ArrayList;
import java.util.List;

/**
 * The labels people gave one text and still stand, in the order first given: the first is the one
 * the teacher is measured against, the second (when the text went to two reviewers) is compared
 * with the first. A reviewer who answers again replaces their label in place; a reviewer's skip
 * withdraws their label; a tombstone withdraws all. Immutable; a JSON document in the store.
 *
 * @param entries the standing labels, first given first
 */
public record HumanLabels(List<Entry> entries) {

  /**
   * One reviewer's standing label.
   *
   * @param reviewer who
   * @param label what they said
   * @param decidedAt when they first said it, epoch milliseconds
   */
  record Entry(String reviewer, String label, long decidedAt) {}

  public HumanLabels {
    entries = entries == null ? List.of() : List.copyOf(entries);
  }

  public static HumanLabels none() {
    return new HumanLabels(List.of());
  }

  /** After {@code verdict} (a checked, countable verdict, or a tombstone). */
  public HumanLabels apply(CheckedVerdict verdict) {
    var v = verdict.verdict();
    if (v == null) {
      return none();
    }
    var reviewer = v.getReviewer();
    var next = new ArrayList<Entry>();
    boolean replaced = false;
    for (var entry : entries) {
      if (!entry.reviewer().equals(reviewer)) {
        next.add(entry);
      } else if (!v.getSkipped()) {
        next.add(new Entry(reviewer, v.getLabel(), entry.decidedAt()));
        replaced = true;
      }
    }
    if (!v.getSkipped() && !replaced) {
      next.add(new Entry(reviewer, v.getLabel(), v.getDecidedAt().toEpochMilli()));
    }
    return new HumanLabels(next);
  }

  /** The item as reviewed against {@code vote}; null when no label stands. */
  public ReviewedLabel against(TeacherVote vote) {
    if (entries.isEmpty()) {
      return null;
    }
    var first = entries.get(0);
    return new ReviewedLabel(
        vote.task(),
        vote.promptVersion(),
        vote.label(),
        first.label(),
        entries.size() > 1 ? entries.get(1).label() : null,
        first.decidedAt());
  }
}
