package io.distillery.app.review;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.app.RoleSupervisor;
import io.distillery.auditor.Auditor;
import io.distillery.auditor.verdicts.VerdictForm;
import io.distillery.schema.ReviewVerdict;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The review page's API, for the {@code reviewer} role (HTTP basic): {@code GET /api/review/next}
 * serves the next item for the logged-in reviewer (204 when none), {@code POST /api/review/answer}
 * takes {@code {id, label | skipped: true, note}} under the rules of {@code POST /api/verdicts},
 * and {@code POST /api/review/undo} withdraws the reviewer's last answer.
 */
@Path("/api/review")
@ApplicationScoped
@RolesAllowed("reviewer")
public class ReviewResource {

  /**
   * @param name the label
   * @param definition what it means, from the codebook
   */
  public record LabelChoice(String name, String definition) {}

  /**
   * @param id the text id
   * @param text the text to label
   * @param labels the codebook's labels, in order (keys 1–9 pick them on the page)
   * @param progress the reviewer's numbers
   */
  public record Item(String id, String text, List<LabelChoice> labels, Progress progress) {}

  /**
   * @param queueLength items pending for this reviewer
   * @param reviewedToday items this reviewer labeled today (UTC), withdrawals not counted
   * @param teacher the teacher's current agreement with people; null before any review counted or
   *     when the auditor runs in another process
   */
  public record Progress(int queueLength, int reviewedToday, Standing teacher) {}

  /**
   * How the teacher stands against people under the codebook's current prompt version.
   *
   * @param promptVersion the codebook's prompt version
   * @param reviewed reviewed items
   * @param accuracy share where the teacher agreed with the reviewer
   * @param kappa Cohen's kappa, teacher vs people
   * @param gate INSUFFICIENT_DATA, PASS or FAIL
   * @param gateReason why
   */
  public record Standing(
      String promptVersion,
      long reviewed,
      Double accuracy,
      Double kappa,
      String gate,
      String gateReason) {}

  /**
   * @param undone the id whose answer was withdrawn, null when there was nothing to undo
   * @param progress the reviewer's numbers after the undo
   */
  public record Undo(String undone, Progress progress) {}

  private final RoleSupervisor supervisor;
  private final ReviewQueue queue;

  ReviewResource(RoleSupervisor supervisor, ReviewQueue queue) {
    this.supervisor = supervisor;
    this.queue = queue;
  }

  @GET
  @Path("next")
  @Produces(MediaType.APPLICATION_JSON)
  public Response next(@Context SecurityContext security) {
    var reviewer = security.getUserPrincipal().getName();
    var labels =
        supervisor.codebook().labels().stream()
            .map(l -> new LabelChoice(l.name(), l.definition()))
            .toList();
    return queue
        .pending()
        .next(reviewer)
        .map(r -> Response.ok(new Item(r.getId(), r.getText(), labels, progress(reviewer))))
        .orElseGet(Response::noContent)
        .build();
  }

  @GET
  @Path("progress")
  @Produces(MediaType.APPLICATION_JSON)
  public Progress progress(@Context SecurityContext security) {
    return progress(security.getUserPrincipal().getName());
  }

  @POST
  @Path("answer")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response answer(JsonNode body, @Context SecurityContext security)
      throws VerdictForm.BadVerdictException, ExecutionException, InterruptedException {
    var reviewer = security.getUserPrincipal().getName();
    queue.answer(new VerdictForm(supervisor.codebook()).read(body, reviewer, Instant.now()));
    return Response.accepted(progress(reviewer)).build();
  }

  @POST
  @Path("undo")
  @Produces(MediaType.APPLICATION_JSON)
  public Undo undo(@Context SecurityContext security)
      throws ExecutionException, InterruptedException {
    var reviewer = security.getUserPrincipal().getName();
    var undone =
        queue.undo(
            reviewer,
            r ->
                ReviewVerdict.newBuilder()
                    .setId(r.getId())
                    .setTask(supervisor.codebook().task())
                    .setLabel(null)
                    .setSkipped(true)
                    .setReviewer(reviewer)
                    .setNote("withdrawn on the review page")
                    .setDecidedAt(Instant.now())
                    .build());
    return new Undo(undone.map(r -> r.getId()).orElse(null), progress(reviewer));
  }

  private Progress progress(String reviewer) {
    var pending = queue.pending();
    return new Progress(
        pending.queueLength(reviewer),
        pending.reviewedToday(reviewer, LocalDate.now(ZoneOffset.UTC)),
        standing());
  }

  private Standing standing() {
    var codebook = supervisor.codebook();
    return supervisor
        .role(Auditor.class)
        .flatMap(
            auditor ->
                auditor.agreements().stream()
                    .filter(
                        a ->
                            codebook.task().equals(a.task())
                                && codebook.promptVersion().equals(a.promptVersion()))
                    .findFirst()
                    .map(
                        a -> {
                          var decision = a.gate(auditor.gate());
                          return new Standing(
                              a.promptVersion(),
                              a.reviewed(),
                              a.accuracy(),
                              a.kappa(),
                              decision.status().name(),
                              decision.reason());
                        }))
        .orElse(null);
  }
}
