package io.distillery.app;

import io.distillery.auditor.verdicts.VerdictForm;
import io.distillery.common.DistilleryConfig;
import io.distillery.schema.ReviewVerdict;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;

/**
 * {@code POST /api/verdicts}: one verdict object or an array of them ({@code id}, {@code label} or
 * {@code skipped: true}, optional {@code note}), from the review page or any other tool, into the
 * verdicts topic. Needs the {@code reviewer} role (HTTP basic); the reviewer on each verdict is the
 * user who logged in. Verdicts the codebook does not take are refused with their index and why (see
 * {@link VerdictForm}); the others are written, as {@code POST /api/texts} does.
 */
@Path("/api/verdicts")
@ApplicationScoped
public class VerdictsResource {

  private final RoleSupervisor supervisor;
  private final BatchPost<ReviewVerdict> post;

  VerdictsResource(RoleSupervisor supervisor, DistilleryConfig config) {
    this.supervisor = supervisor;
    this.post =
        BatchPost.to(config.kafka().bootstrapServers(), () -> supervisor.topics().reviewVerdicts());
  }

  @POST
  @RolesAllowed("reviewer")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response post(byte[] body, @Context SecurityContext security) throws InterruptedException {
    var form = new VerdictForm(supervisor.codebook());
    var reviewer = security.getUserPrincipal().getName();
    var now = Instant.now();
    return post.post(
        body,
        supervisor.topics().reviewVerdicts().name(),
        item -> form.read(item, reviewer, now),
        ReviewVerdict::getId,
        VerdictForm.BadVerdictException.class);
  }

  @PreDestroy
  void close() {
    post.close();
  }
}
