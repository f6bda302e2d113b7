package io.distillery.app;

import io.distillery.labeler.Labeler;
import io.distillery.labeler.openai.OpenAiTeacher;
import io.distillery.labeler.openai.TeacherStats;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/teacher}: who labels, what it has cost, and how often the cache saved a call. */
@Path("/api/teacher")
public class TeacherResource {

  /**
   * @param kind teacher kind
   * @param model model name
   * @param promptVersion prompt version stamped on its labels
   * @param state the labeler's health detail (e.g. waiting for a budget or an open circuit)
   * @param cache cache counters, or null when answers are not cached (replay)
   * @param calls LLM call counters, tokens and cost, or null for teachers that make no calls
   */
  public record TeacherView(
      String kind,
      String model,
      String promptVersion,
      String state,
      Cache cache,
      TeacherStats.Snapshot calls) {}

  /**
   * @param hits lookups answered from the cache
   * @param misses lookups the teacher answered
   * @param size answers held in memory
   * @param evictions answers dropped from memory to keep its bound (the cache topic keeps them)
   */
  public record Cache(long hits, long misses, int size, long evictions) {}

  private final RoleSupervisor supervisor;

  TeacherResource(RoleSupervisor supervisor) {
    this.supervisor = supervisor;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public TeacherView teacher() {
    var labeler =
        supervisor
            .role(Labeler.class)
            .orElseThrow(
                () -> new NotFoundException("the labeler role does not run in this process"));
    var id = labeler.teacher().identity();
    var cache =
        labeler
            .cache()
            .map(c -> new Cache(c.hits(), c.misses(), c.size(), c.evictions()))
            .orElse(null);
    var calls =
        labeler.teacher() instanceof OpenAiTeacher openai ? openai.stats().snapshot() : null;
    return new TeacherView(
        id.getKind(),
        id.getModel(),
        id.getPromptVersion(),
        labeler.health().detail(),
        cache,
        calls);
  }
}
