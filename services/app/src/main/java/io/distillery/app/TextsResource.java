package io.distillery.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code POST /api/texts}: one JSON text object or an array of them, into the raw texts topic.
 * Needs the {@code ingest} role (HTTP basic).
 */
@Path("/api/texts")
@ApplicationScoped
public class TextsResource {

  /**
   * @param accepted texts written to the topic
   * @param rejected texts refused, with their index in the request and why
   */
  public record IngestResult(int accepted, List<Rejected> rejected) {}

  /**
   * @param index 0-based position in the request
   * @param reason why
   */
  public record Rejected(int index, String reason) {}

  private final RoleSupervisor supervisor;
  private final DistilleryConfig config;
  private volatile KafkaProducer<String, TextEvent> producer;

  TextsResource(RoleSupervisor supervisor, DistilleryConfig config) {
    this.supervisor = supervisor;
    this.config = config;
  }

  @POST
  @RolesAllowed("ingest")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response ingest(JsonNode body) throws InterruptedException {
    if (body == null || !(body.isObject() || body.isArray())) {
      return Response.status(Response.Status.BAD_REQUEST)
          .entity(new IngestResult(0, List.of(new Rejected(0, "expected a JSON object or array"))))
          .build();
    }
    var items = new ArrayList<JsonNode>();
    if (body.isArray()) {
      body.forEach(items::add);
    } else {
      items.add(body);
    }
    var parser = new TextEventParser("api");
    var rejected = new ArrayList<Rejected>();
    var sends = new ArrayList<Future<RecordMetadata>>();
    var indexes = new ArrayList<Integer>();
    var topic = supervisor.topics().raw().name();
    for (int i = 0; i < items.size(); i++) {
      try {
        var event = parser.parse(items.get(i));
        sends.add(producer().send(new ProducerRecord<>(topic, event.getId(), event)));
        indexes.add(i);
      } catch (TextEventParser.BadRowException e) {
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
    return Response.status(status).entity(new IngestResult(accepted, rejected)).build();
  }

  private KafkaProducer<String, TextEvent> producer() {
    if (producer == null) {
      synchronized (this) {
        if (producer == null) {
          producer =
              new KafkaProducer<>(
                  KafkaClients.producer(config.kafka().bootstrapServers()),
                  new StringSerializer(),
                  supervisor.topics().raw().valueSerde().serializer());
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
