package io.distillery.app;

import io.distillery.common.DistilleryConfig;
import io.distillery.common.ingest.TextEventParser;
import io.distillery.schema.TextEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/texts}: one JSON text object or an array of them, into the raw texts topic.
 * Needs the {@code ingest} role (HTTP basic).
 */
@Path("/api/texts")
@ApplicationScoped
public class TextsResource {

  private final RoleSupervisor supervisor;
  private final BatchPost<TextEvent> post;

  TextsResource(RoleSupervisor supervisor, DistilleryConfig config) {
    this.supervisor = supervisor;
    this.post = BatchPost.to(config.kafka().bootstrapServers(), () -> supervisor.topics().raw());
  }

  @POST
  @RolesAllowed("ingest")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response ingest(byte[] body) throws InterruptedException {
    var parser = new TextEventParser("api");
    return post.post(
        body,
        supervisor.topics().raw().name(),
        parser::parse,
        TextEvent::getId,
        TextEventParser.BadRowException.class);
  }

  @PreDestroy
  void close() {
    post.close();
  }
}
