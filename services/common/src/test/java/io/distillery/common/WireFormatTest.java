package io.distillery.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import io.distillery.schema.TextEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * Any Confluent-compatible consumer must read our topics with only the registry URL (DESIGN.md,
 * wire format).
 */
class WireFormatTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldWriteValuesInTheConfluentWireFormatReadableWithPlainAvroAndTheCcompatApi()
      throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var event =
        TextEvent.newBuilder()
            .setId("wire-1")
            .setText("héllo wörld")
            .setSource("test")
            .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
            .setIngestedAt(Instant.ofEpochMilli(1_700_000_001_000L))
            .setMetadata(Map.of("llm_label", "positive"))
            .build();
    Records.send(
        cluster.bootstrapServers(),
        topics.raw(),
        List.of(new ProducerRecord<>(topics.raw().name(), "wire-1", event)));

    var raw = new Topic<>(topics.raw().name(), Serdes.String(), Serdes.ByteArray());
    var records =
        Records.readUntil(
            cluster.bootstrapServers(), raw, Duration.ofSeconds(30), r -> !r.isEmpty());
    assertThat(records).hasSize(1);
    byte[] bytes = records.get(0).value();

    assertThat(bytes[0]).as("magic byte").isEqualTo((byte) 0);
    int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();

    var http = HttpClient.newHttpClient();
    var ccompat = cluster.registryUrl() + "/apis/ccompat/v7";
    var schemaJson =
        http.send(
            HttpRequest.newBuilder(URI.create(ccompat + "/schemas/ids/" + schemaId)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(schemaJson.statusCode()).isEqualTo(200);
    var schema = new Schema.Parser().parse(JSON.readTree(schemaJson.body()).get("schema").asText());

    var decoder =
        DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 5, bytes.length), null);
    GenericRecord decoded = new GenericDatumReader<GenericRecord>(schema).read(null, decoder);
    assertThat(decoded.get("id").toString()).isEqualTo("wire-1");
    assertThat(decoded.get("text").toString()).isEqualTo("héllo wörld");
    assertThat(decoded.get("created_at")).isEqualTo(1_700_000_000_000L);
    assertThat(((Map<?, ?>) decoded.get("metadata")).toString())
        .contains("llm_label")
        .contains("positive");

    var subjects =
        http.send(
            HttpRequest.newBuilder(URI.create(ccompat + "/subjects")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(subjects.body()).contains("\"" + topics.raw().name() + "-value\"");
  }
}
