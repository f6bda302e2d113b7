package io.distillery.app;

import io.distillery.auditor.Auditor;
import io.distillery.auditor.agreement.Agreement;
import io.distillery.auditor.agreement.Bootstrap;
import io.distillery.auditor.agreement.Interval;
import io.distillery.auditor.mix.LabelMix;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
   * @param humanPairs items two people reviewed
   * @param humanAgreement share of those where both gave the same label
   * @param humanKappa Cohen's kappa, first reviewer against second
   * @param window the same measures over the sliding window
   * @param probe the drift probe; null when no probe label came under this prompt version
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
      Bootstrap bootstrap,
      long humanPairs,
      Double humanAgreement,
      Double humanKappa,
      Window window,
      Auditor.ProbeStatus probe) {}

  /**
   * The teacher against people over the last days only.
   *
   * @param days UTC days up to today
   * @param reviewed items first reviewed in them
   * @param accuracy agreed / reviewed
   * @param macroF1 teacher macro-F1 against people
   * @param kappa Cohen's kappa
   */
  public record Window(int days, long reviewed, Double accuracy, Double macroF1, Double kappa) {}

  /**
   * The label-mix monitor's view of one task.
   *
   * @param task the task
   * @param monitor the thresholds in force
   * @param shifts source ({@code *} for all sources) to the newest day's mix against the reference
   *     days', its population stability index and whether that is past the threshold
   */
  public record Mix(String task, LabelMix.Monitor monitor, Map<String, LabelMix.Shift> shifts) {}

  private final RoleSupervisor supervisor;

  QualityResource(RoleSupervisor supervisor) {
    this.supervisor = supervisor;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public List<Quality> quality() {
    var auditor = auditor();
    return auditor.agreements().stream()
        .map(
            a ->
                quality(
                    a,
                    auditor.gate(),
                    auditor.bootstrap(),
                    auditor.windowDays(),
                    auditor.probe(a.task(), a.promptVersion()).orElse(null)))
        .toList();
  }

  /**
   * {@code GET /api/quality/label-mix}: the teacher's label mix per task and source, shifts marked.
   */
  @GET
  @Path("label-mix")
  @Produces(MediaType.APPLICATION_JSON)
  public List<Mix> labelMix() {
    var auditor = auditor();
    return auditor.labelMixes().stream()
        .map(m -> new Mix(m.task(), auditor.mixMonitor(), m.shifts(auditor.mixMonitor())))
        .toList();
  }

  /**
   * {@code GET /api/quality/history}: the teacher against people per UTC day of review, per task
   * and prompt version, with the gate as it stood at each day's end (the dashboard's chart).
   */
  @GET
  @Path("history")
  @Produces(MediaType.APPLICATION_JSON)
  public List<QualityHistory.AgreementHistory> history() {
    var auditor = auditor();
    return auditor.agreements().stream()
        .map(a -> QualityHistory.agreement(a, auditor.gate(), auditor.bootstrap()))
        .toList();
  }

  /**
   * {@code GET /api/quality/label-mix/history}: the teacher's label mix per task, source and day,
   * each day's population stability index against the days before it.
   */
  @GET
  @Path("label-mix/history")
  @Produces(MediaType.APPLICATION_JSON)
  public List<QualityHistory.MixHistory> labelMixHistory() {
    var auditor = auditor();
    return auditor.labelMixes().stream()
        .map(m -> QualityHistory.mix(m, auditor.mixMonitor()))
        .toList();
  }

  private Auditor auditor() {
    return supervisor
        .role(Auditor.class)
        .orElseThrow(() -> new NotFoundException("the auditor role does not run in this process"));
  }

  private static Quality quality(
      Agreement a,
      Agreement.Gate gate,
      Bootstrap bootstrap,
      int windowDays,
      Auditor.ProbeStatus probe) {
    var decision = a.gate(gate);
    var window = a.window(LocalDate.now(ZoneOffset.UTC), windowDays);
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
        bootstrap,
        a.humanPairs(),
        a.humanAgreement(),
        a.humanKappa(),
        new Window(
            windowDays, window.reviewed(), window.accuracy(), window.macroF1(), window.kappa()),
        probe);
  }
}
