package io.distillery.app;

import io.distillery.schema.ModelVersion;
import io.distillery.trainer.Trainer;
import io.distillery.trainer.TrainingStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The trainer over HTTP: {@code GET /api/trainer} says what it is doing (epoch, loss, examples/s
 * while training; what it waits for otherwise), the champion and every model version known; {@code
 * POST /api/models/{version}/promote} makes a version the champion and {@code POST
 * /api/models/{version}/rollback} retires the champion for the one promoted before it (user {@code
 * operator}).
 */
@Path("/api")
public class TrainerResource {

  /**
   * One model version, as its newest record says.
   *
   * @param version the version
   * @param kind the student kind
   * @param status CANDIDATE, PROMOTED, REJECTED or RETIRED
   * @param statusReason why
   * @param artifactUri where its files are
   * @param artifactSha256 SHA-256 of its manifest
   * @param labels its label set
   * @param settings its featurizer and kind settings
   * @param promptVersion the prompt version of the labels it learned from
   * @param trainingSize texts it learned from
   * @param labelMix their label mix
   * @param metrics measured on human-verified texts never trained on
   * @param device where it trained, and why
   * @param trainingMillis how long training took
   * @param seed the training seed
   * @param createdAt when it was trained
   */
  public record ModelView(
      long version,
      String kind,
      String status,
      String statusReason,
      String artifactUri,
      String artifactSha256,
      List<String> labels,
      Map<String, String> settings,
      String promptVersion,
      long trainingSize,
      Map<String, Long> labelMix,
      Map<String, Double> metrics,
      String device,
      long trainingMillis,
      long seed,
      Instant createdAt) {

    static ModelView of(ModelVersion v) {
      return new ModelView(
          v.getVersion(),
          v.getKind(),
          v.getStatus().name(),
          v.getStatusReason(),
          v.getArtifactUri(),
          v.getArtifactSha256(),
          List.copyOf(v.getLabels()),
          Map.copyOf(v.getFeaturizer()),
          v.getPromptVersion(),
          v.getTrainingSize(),
          Map.copyOf(v.getLabelMix()),
          Map.copyOf(v.getMetrics()),
          v.getDevice(),
          v.getTrainingMillis(),
          v.getSeed(),
          v.getCreatedAt());
    }
  }

  /**
   * @param status what the trainer does now
   * @param health its health detail
   * @param champion the version the classifiers score with; null before the first
   * @param versions every version known, oldest first
   */
  public record TrainerView(
      TrainingStatus status, String health, Long champion, List<ModelView> versions) {}

  private final RoleSupervisor supervisor;

  TrainerResource(RoleSupervisor supervisor) {
    this.supervisor = supervisor;
  }

  @GET
  @Path("trainer")
  @Produces(MediaType.APPLICATION_JSON)
  public TrainerView view() {
    var trainer = trainer();
    return new TrainerView(
        trainer.status(),
        trainer.health().detail(),
        trainer.champion().map(ModelVersion::getVersion).orElse(null),
        trainer.versions().stream().map(ModelView::of).toList());
  }

  @POST
  @Path("models/{version}/promote")
  @RolesAllowed("operator")
  @Produces(MediaType.APPLICATION_JSON)
  public List<ModelView> promote(
      @PathParam("version") long version, @Context SecurityContext security)
      throws ExecutionException, InterruptedException {
    var who = security.getUserPrincipal().getName();
    return views(trainer().promote(version, who));
  }

  @POST
  @Path("models/{version}/rollback")
  @RolesAllowed("operator")
  @Produces(MediaType.APPLICATION_JSON)
  public List<ModelView> rollback(
      @PathParam("version") long version, @Context SecurityContext security)
      throws ExecutionException, InterruptedException {
    var who = security.getUserPrincipal().getName();
    return views(trainer().rollback(version, who));
  }

  /** The records a decision published; a refused one is a 409 ({@link ApiErrors}). */
  private static List<ModelView> views(List<ModelVersion> published) {
    return published.stream().map(ModelView::of).toList();
  }

  private Trainer trainer() {
    return supervisor
        .role(Trainer.class)
        .orElseThrow(() -> new NotFoundException("the trainer role does not run in this process"));
  }
}
