package io.distillery.app;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
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
   * Writes the items of {@code body} to {@code topic}: 202 when any was written, 400 when none.
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
      return Response.status(Response.Status.BAD_REQUEST)
          .entity(
              new Result(
                  0, List.of(new Rejected(0, "expected a JSON object or a non-empty array"))))
          .build();
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
    for (int k = 0; k < sends.size(); k++) {
      try {
        sends.get(k).get();
        accepted++;
      } catch (ExecutionException e) {
        rejected.add(new Rejected(indexes.get(k), "not written: " + e.getCause().getMessage()));
      }
    }
    var status = accepted == 0 ? Response.Status.BAD_REQUEST : Response.Status.ACCEPTED;
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
