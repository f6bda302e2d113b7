package io.distillery.app;

import io.distillery.auditor.verdicts.VerdictForm;
import io.distillery.trainer.DecisionRefused;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.ExecutionException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * How the REST API answers an error, in one place: a request's fault is a 4xx, a fault of the
 * server or the broker behind it a 5xx, each with a JSON {@link ApiError} saying why. Resources
 * throw; none builds an error response itself. ({@code POST /api/texts} and {@code /api/verdicts}
 * answer per item, with their own report: {@code BatchPost}.)
 */
public final class ApiErrors {

  /**
   * The body of every error answer.
   *
   * @param error why the request was refused or failed
   */
  public record ApiError(String error) {}

  private static Response answer(Response.Status status, String error) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(error))
        .build();
  }

  /** A promotion or rollback the model records do not allow: 409. */
  @ServerExceptionMapper
  public Response refused(DecisionRefused e) {
    return answer(Response.Status.CONFLICT, e.getMessage());
  }

  /** A verdict that does not fit the codebook: 400. */
  @ServerExceptionMapper
  public Response badVerdict(VerdictForm.BadVerdictException e) {
    return answer(Response.Status.BAD_REQUEST, e.getMessage());
  }

  /** The broker did not take a write (a send's future failed): 503, the client may try again. */
  @ServerExceptionMapper
  public Response notWritten(ExecutionException e) {
    var cause = e.getCause() == null ? e : e.getCause();
    return answer(Response.Status.SERVICE_UNAVAILABLE, "not written: " + cause.getMessage());
  }
}
