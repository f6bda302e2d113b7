package io.distillery.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.auditor.VerdictForm;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

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

  /**
   * @param accepted verdicts written to the topic
   * @param rejected verdicts refused, with their index in the request and why
   */
  public record VerdictResult(int accepted, List<Rejected> rejected) {}

  /**
   * @param index 0-based position in the request
   * @param reason why
   */
  public record Rejected(int index, String reason) {}

  private final RoleSupervisor supervisor;
  private final DistilleryConfig config;
  private volatile KafkaProducer<String, ReviewVerdict> producer;

  VerdictsResource(RoleSupervisor supervisor, DistilleryConfig config) {
    this.supervisor = supervisor;
    this.config = config;
  }

  @POST
  @RolesAllowed("reviewer")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response post(JsonNode body, @Context SecurityContext security)
      throws InterruptedException {
    if (body == null
        || !(body.isObject() || body.isArray())
        || (body.isArray() && body.isEmpty())) {
      return Response.status(Response.Status.BAD_REQUEST)
          .entity(
              new VerdictResult(
                  0, List.of(new Rejected(0, "expected a verdict object or a non-empty array"))))
          .build();
    }
    var items = new ArrayList<JsonNode>();
    if (body.isArray()) {
      body.forEach(items::add);
    } else {
      items.add(body);
    }
    var form = new VerdictForm(supervisor.codebook());
    var reviewer = security.getUserPrincipal().getName();
    var now = Instant.now();
    var topic = supervisor.topics().reviewVerdicts().name();
    var rejected = new ArrayList<Rejected>();
    var sends = new ArrayList<Future<RecordMetadata>>();
    var indexes = new ArrayList<Integer>();
    for (int i = 0; i < items.size(); i++) {
      try {
        var verdict = form.read(items.get(i), reviewer, now);
        sends.add(producer().send(new ProducerRecord<>(topic, verdict.getId(), verdict)));
        indexes.add(i);
      } catch (VerdictForm.BadVerdictException e) {
        rejected.add(new Rejected(i, e.getMessage()));
      }
    }
    int accepted = 0;
    for (int k = 0; k < sends.size(); k++) {
      try {
        sends.get(k).get();
        accepted++;
      } catch (ExecutionException e) {
        rejected.add(new Rejected(indexes.get(k), "not written: " + e.getCause().getMessage()));
      }
    }
    var status =
        accepted == 0 && !rejected.isEmpty()
            ? Response.Status.BAD_REQUEST
            : Response.Status.ACCEPTED;
    return Response.status(status).entity(new VerdictResult(accepted, rejected)).build();
  }

  private KafkaProducer<String, ReviewVerdict> producer() {
    if (producer == null) {
      synchronized (this) {
        if (producer == null) {
          producer =
              new KafkaProducer<>(
                  KafkaClients.producer(config.kafka().bootstrapServers()),
                  new StringSerializer(),
                  supervisor.topics().reviewVerdicts().valueSerde().serializer());
        }
      }
    }
    return producer;
  }

  @PreDestroy
  void close() {
    if (producer != null) {
      producer.close();
    }
  }
}
