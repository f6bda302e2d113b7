package io.distillery.auditor.agreement;

import io.distillery.auditor.probe.ProbeSummary;

/**
 * What the auditor knows of one task and prompt version: agreement with people, and the drift
 * probe's counts; either may be missing. Lives only between two processors of one sub-topology.
 *
 * @param agreement the teacher against people; null before any review
 * @param probe the drift probe's counts; null when no probe label came under this prompt version
 */
public record Audit(Agreement agreement, ProbeSummary probe) {

  /** The task, or null when neither side has one. */
  public String task() {
    if (agreement != null && agreement.task() != null) {
      return agreement.task();
    }
    return probe == null ? null : probe.task();
  }

  /** The agreement, or an empty one for the probe's task and prompt version. */
  Agreement agreementOrEmpty() {
    if (agreement != null && agreement.task() != null) {
      return agreement;
    }
    return new Agreement(probe.task(), probe.promptVersion(), java.util.Map.of());
  }
}
