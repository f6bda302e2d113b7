package io.distillery.app;

import io.distillery.auditor.Agreement;
import io.distillery.auditor.Auditor;
import io.distillery.auditor.Bootstrap;
import io.distillery.auditor.Interval;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/quality}: the teacher's agreement with people, per task and prompt version, with
 * the gate and why it says what it says; every number of the quality report.
 */
@Path("/api/quality")
public class QualityResource {

  /**
   * One task and prompt version.
   *
   * @param task the task
   * @param promptVersion the prompt version
   * @param reviewed reviewed items
   * @param agreed items where the teacher agreed with the reviewer
   * @param accuracy agreed / reviewed
   * @param accuracyInterval its 95 % bootstrap interval
   * @param macroF1 teacher macro-F1 against people
   * @param macroF1Interval its 95 % bootstrap interval
   * @param kappa Cohen's kappa
   * @param kappaInterval its 95 % bootstrap interval
   * @param gate INSUFFICIENT_DATA, PASS or FAIL
   * @param gateReason the count still needed, every threshold missed, or the thresholds met
   * @param gateThresholds the thresholds in force
   * @param perClass label to the teacher's precision, recall and F1 against people
   * @param teacherMix teacher label to count, over the reviewed items
   * @param humanMix human label to count, over the same items
   * @param confusion human label to teacher label to count
   * @param bootstrap resamples and seed behind the intervals
   */
  public record Quality(
      String task,
      String promptVersion,
      long reviewed,
      long agreed,
      Double accuracy,
      Interval accuracyInterval,
      Double macroF1,
      Interval macroF1Interval,
      Double kappa,
      Interval kappaInterval,
      String gate,
      String gateReason,
      Agreement.Gate gateThresholds,
      Map<String, Agreement.ClassMetrics> perClass,
      Map<String, Long> teacherMix,
      Map<String, Long> humanMix,
      Map<String, Map<String, Long>> confusion,
      Bootstrap bootstrap) {}

  private final RoleSupervisor supervisor;

  QualityResource(RoleSupervisor supervisor) {
    this.supervisor = supervisor;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public List<Quality> quality() {
    var auditor =
        supervisor
            .role(Auditor.class)
            .orElseThrow(
                () -> new NotFoundException("the auditor role does not run in this process"));
    return auditor.agreements().stream()
        .map(a -> quality(a, auditor.gate(), auditor.bootstrap()))
        .toList();
  }

  private static Quality quality(Agreement a, Agreement.Gate gate, Bootstrap bootstrap) {
    var decision = a.gate(gate);
    var intervals = a.intervals(bootstrap);
    return new Quality(
        a.task(),
        a.promptVersion(),
        a.reviewed(),
        a.agreed(),
        a.accuracy(),
        intervals == null ? null : intervals.accuracy(),
        a.macroF1(),
        intervals == null ? null : intervals.macroF1(),
        a.kappa(),
        intervals == null ? null : intervals.kappa(),
        decision.status().name(),
        decision.reason(),
        gate,
        a.perClass(),
        a.teacherMix(),
        a.humanMix(),
        a.confusion(),
        bootstrap);
  }
}
