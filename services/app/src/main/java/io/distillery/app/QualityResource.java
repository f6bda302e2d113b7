package io.distillery.app;

import io.distillery.auditor.Agreement;
import io.distillery.auditor.Auditor;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/quality}: the teacher's agreement with people, per task and prompt version, with
 * the gate.
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
   * @param macroF1 teacher macro-F1 against people
   * @param kappa Cohen's kappa
   * @param gate INSUFFICIENT_DATA, PASS or FAIL
   * @param confusion human label to teacher label to count
   */
  public record Quality(
      String task,
      String promptVersion,
      long reviewed,
      long agreed,
      Double accuracy,
      Double macroF1,
      Double kappa,
      String gate,
      Map<String, Map<String, Long>> confusion) {}

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
    return auditor.agreements().stream().map(a -> quality(a, auditor.gate())).toList();
  }

  private static Quality quality(Agreement a, Agreement.Gate gate) {
    return new Quality(
        a.task(),
        a.promptVersion(),
        a.reviewed(),
        a.agreed(),
        a.accuracy(),
        a.macroF1(),
        a.kappa(),
        a.gate(gate).name(),
        a.confusion());
  }
}
