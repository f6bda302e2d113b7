package io.distillery.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.KafkaClients;
import io.distillery.common.Topic;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A POST of one JSON object or an array of them, each read into a record and written to one topic:
 * good items are written and acknowledged, bad ones are refused with their index and why, and the
 * answer says which. Shared by {@code POST /api/texts} and {@code POST /api/verdicts}.
 *
 * @param <V> the record value type
 */
final class BatchPost<V> implements AutoCloseable {

  /**
   * @param index 0-based position in the request
   * @param reason why it was refused
   */
  record Rejected(int index, String reason) {}

  /**
   * @param accepted items written to the topic
   * @param rejected items refused
   */
  record Result(int accepted, List<Rejected> rejected) {}

  /**
   * Reads one JSON item.
   *
   * @param <V> the record value type
   */
  @FunctionalInterface
  interface Reader<V> {
    V read(JsonNode item) throws Exception;
  }

  private final Supplier<KafkaProducer<String, V>> producers;
  private volatile KafkaProducer<String, V> producer;

  /**
   * @param producers makes the producer on first use (the topics exist only after start-up)
   */
  BatchPost(Supplier<KafkaProducer<String, V>> producers) {
    this.producers = producers;
  }

  /**
   * Posts to the topic {@code topic} gives once the topics exist, through a producer of the cluster
   * at {@code bootstrapServers} with that topic's serdes.
   */
  static <V> BatchPost<V> to(String bootstrapServers, Supplier<Topic<String, V>> topic) {
    return new BatchPost<>(
        () -> {
          var to = topic.get();
          return new KafkaProducer<>(
              KafkaClients.producer(bootstrapServers),
              to.keySerde().serializer(),
              to.valueSerde().serializer());
        });
  }

  /**
   * Reads {@code body} as JSON here rather than in the framework, so a body that is not JSON, or
   * not UTF-8, gets the same JSON answer as every other refusal, with the parser's reason, instead
   * of an empty 400.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * Parses {@code body} (UTF-8 JSON) and writes its items to {@code topic}; see {@link
   * #post(JsonNode, String, Reader, Function, Class)}. A body that is not UTF-8 JSON is refused
   * with 400 and the parser's reason.
   */
  Response post(
      byte[] body,
      String topic,
      Reader<V> read,
      Function<V, String> key,
      Class<? extends Exception> refusal)
      throws InterruptedException {
    JsonNode json;
    try {
      json = body == null || body.length == 0 ? null : JSON.readTree(body);
    } catch (IOException e) {
      var message =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      return refused(Response.Status.BAD_REQUEST, "not valid UTF-8 JSON: " + message);
    }
    return post(json, topic, read, key, refusal);
  }

  private static Response refused(Response.Status status, String reason) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(new Result(0, List.of(new Rejected(0, reason))))
        .build();
  }

  /**
   * Writes the items of {@code body} to {@code topic}: 202 when any was written; 400 when every
   * item was refused for what it holds; 503 when none was written because the broker did not take
   * them (a server fault: the client may send them again).
   *
   * @param read turns one JSON item into a record, throwing {@code refusal} with a reason when it
   *     cannot
   * @param key the record key of a value
   */
  Response post(
      JsonNode body,
      String topic,
      Reader<V> read,
      Function<V, String> key,
      Class<? extends Exception> refusal)
      throws InterruptedException {
    if (body == null
        || !(body.isObject() || body.isArray())
        || (body.isArray() && body.isEmpty())) {
      return refused(Response.Status.BAD_REQUEST, "expected a JSON object or a non-empty array");
    }
    var items = new ArrayList<JsonNode>();
    if (body.isArray()) {
      body.forEach(items::add);
    } else {
      items.add(body);
    }
    var rejected = new ArrayList<Rejected>();
    var sends = new ArrayList<Future<RecordMetadata>>();
    var indexes = new ArrayList<Integer>();
    for (int i = 0; i < items.size(); i++) {
      try {
        var value = read.read(items.get(i));
        sends.add(producer().send(new ProducerRecord<>(topic, key.apply(value), value)));
        indexes.add(i);
      } catch (Exception e) {
        if (refusal.isInstance(e)) {
          rejected.add(new Rejected(i, e.getMessage()));
        } else if (e instanceof RuntimeException runtime) {
          throw runtime;
        } else {
          throw new IllegalStateException("cannot read item " + i, e);
        }
      }
    }
    int accepted = 0;
    int notWritten = 0;
    for (int k = 0; k < sends.size(); k++) {
      try {
        sends.get(k).get();
        accepted++;
      } catch (ExecutionException e) {
        notWritten++;
        rejected.add(new Rejected(indexes.get(k), "not written: " + e.getCause().getMessage()));
      }
    }
    var status =
        accepted > 0
            ? Response.Status.ACCEPTED
            : notWritten > 0 ? Response.Status.SERVICE_UNAVAILABLE : Response.Status.BAD_REQUEST;
    return Response.status(status).entity(new Result(accepted, rejected)).build();
  }

  private KafkaProducer<String, V> producer() {
    if (producer == null) {
      synchronized (this) {
        if (producer == null) {
          producer = producers.get();
        }
      }
    }
    return producer;
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close();
    }
  }
}
