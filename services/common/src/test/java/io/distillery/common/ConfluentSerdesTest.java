package io.distillery.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.testing.SharedCluster;
import io.distillery.devcluster.EmbeddedKafka;
import io.distillery.schema.TextEvent;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The hand-written Confluent-API serdes against the real registry's Confluent API ({@code
 * /apis/ccompat/v7}): the wire format, interoperation with the Apicurio serdes, schema evolution,
 * and the failure paths (refused schema, unknown id, bytes that are not ours, a registry that is
 * down).
 */
class ConfluentSerdesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String registryUrl = SharedCluster.get().registryUrl();
  private final String ccompat = registryUrl + "/apis/ccompat/v7";
  private final String topic = "confluent-" + UUID.randomUUID();
  private final String subject = topic + "-value";

  @Test
  void shouldRoundTripInTheConfluentWireFormatWithTheIdTheRegistryGave() throws Exception {
    var serde = new ConfluentSerdes(ccompat).forValue(TextEvent.class);

    byte[] bytes = serde.serializer().serialize(topic, event("round-trip"));

    assertThat(bytes[0]).as("magic byte").isZero();
    var latest = send(get("/subjects/" + subject + "/versions/latest"));
    assertThat(schemaId(bytes)).isEqualTo(latest.get("id").asInt());
    assertThat(new Schema.Parser().parse(latest.get("schema").asText()))
        .isEqualTo(TextEvent.SCHEMA$);
    assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(event("round-trip"));
  }

  @Test
  void shouldReadWhatTheApicurioSerdesWroteAndTheOtherWayRound() {
    var apicurio = new AvroSerdes(registryUrl).forValue(TextEvent.class);
    var confluent = new ConfluentSerdes(ccompat).forValue(TextEvent.class);

    byte[] byApicurio = apicurio.serializer().serialize(topic, event("by-apicurio"));
    byte[] byConfluent = confluent.serializer().serialize(topic, event("by-confluent"));

    assertThat(confluent.deserializer().deserialize(topic, byApicurio))
        .isEqualTo(event("by-apicurio"));
    assertThat(apicurio.deserializer().deserialize(topic, byConfluent))
        .isEqualTo(event("by-confluent"));
    assertThat(schemaId(byConfluent))
        .as("one schema, one content id on both paths")
        .isEqualTo(schemaId(byApicurio));
  }

  @Test
  void shouldReadAValueWrittenWithAnOlderSchemaIntoTheCurrentClass() throws Exception {
    // An older TextEvent: no source, created_at or metadata (the class has defaults for them), and
    // a field the class no longer has.
    var older =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "TextEvent", "namespace": "io.distillery.schema",
                 "fields": [
                   {"name": "id", "type": "string"},
                   {"name": "text", "type": "string"},
                   {"name": "ingested_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                   {"name": "language", "type": "string", "default": "und"}]}
                """);
    int id = send(register(subject, older.toString())).get("id").asInt();
    GenericRecord value =
        new GenericRecordBuilder(older)
            .set("id", "old-1")
            .set("text", "written before")
            .set("ingested_at", 1_700_000_001_000L)
            .set("language", "de")
            .build();

    var event =
        new ConfluentSerdes(ccompat)
            .forValue(TextEvent.class)
            .deserializer()
            .deserialize(topic, wireFormat(id, older, value));

    assertThat(event.getId()).isEqualTo("old-1");
    assertThat(event.getText()).isEqualTo("written before");
    assertThat(event.getIngestedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_001_000L));
    assertThat(event.getSource()).as("default").isEmpty();
    assertThat(event.getCreatedAt()).as("default").isNull();
    assertThat(event.getMetadata()).as("default").isEmpty();
  }

  @Test
  void shouldRefuseASchemaTheRegistryFindsIncompatibleWithItsMessage() throws Exception {
    assertThat(
            http.send(
                    put("/config/" + subject, "{\"compatibility\":\"BACKWARD\"}"),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    // Data written with only id and text cannot be read by today's TextEvent: ingested_at has no
    // default.
    send(
        register(
            subject,
            """
            {"type": "record", "name": "TextEvent", "namespace": "io.distillery.schema",
             "fields": [{"name": "id", "type": "string"}, {"name": "text", "type": "string"}]}
            """));
    var refusal =
        http.send(
            register(subject, TextEvent.SCHEMA$.toString()), HttpResponse.BodyHandlers.ofString());
    assertThat(refusal.statusCode()).isEqualTo(409);
    var registryMessage = JSON.readTree(refusal.body()).get("message").asText();
    var serializer = new ConfluentSerdes(ccompat).forValue(TextEvent.class).serializer();

    var error = catchThrowable(() -> serializer.serialize(topic, event("refused")));

    assertThat(error)
        .isInstanceOf(SerializationException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("HTTP 409")
        .hasMessageContaining(subject)
        .hasMessageContaining(registryMessage);
    assertThat(TransientErrors.isTransient(error)).isFalse();
  }

  @Test
  void shouldRefuseAnUnknownSchemaIdNamingIt() {
    var deserializer = new ConfluentSerdes(ccompat).forValue(TextEvent.class).deserializer();
    var bytes = ByteBuffer.allocate(7).put((byte) 0).putInt(987_654_321).put(new byte[2]).array();

    var error = catchThrowable(() -> deserializer.deserialize(topic, bytes));

    assertThat(error)
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("987654321")
        .hasMessageContaining("HTTP 404");
    assertThat(TransientErrors.isTransient(error)).isFalse();
  }

  @Test
  void shouldRefuseBytesThatAreNotInTheWireFormat() {
    var deserializer = new ConfluentSerdes(ccompat).forValue(TextEvent.class).deserializer();

    assertThatThrownBy(() -> deserializer.deserialize(topic, "{\"id\": \"json\"}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("magic byte 123");
    assertThatThrownBy(() -> deserializer.deserialize(topic, new byte[] {0, 0, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("3 bytes");
  }

  @Test
  void shouldRefuseBytesThatAreNotAvroOfTheSchemaTheyName() {
    var serde = new ConfluentSerdes(ccompat).forValue(TextEvent.class);
    byte[] good = serde.serializer().serialize(topic, event("good"));
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    byte[] truncated = Arrays.copyOf(good, 8);

    assertThatThrownBy(() -> serde.deserializer().deserialize(topic, trailing))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("trailing bytes");
    assertThatThrownBy(() -> serde.deserializer().deserialize(topic, truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot read io.distillery.schema.TextEvent");
  }

  @Test
  void shouldCallARegistryThatIsNotListeningTransient() throws Exception {
    var serde =
        new ConfluentSerdes("http://127.0.0.1:" + EmbeddedKafka.freePort())
            .forValue(TextEvent.class);
    var bytes = ByteBuffer.allocate(7).put((byte) 0).putInt(1).put(new byte[2]).array();

    var onWrite = catchThrowable(() -> serde.serializer().serialize(topic, event("waits")));
    var onRead = catchThrowable(() -> serde.deserializer().deserialize(topic, bytes));

    assertThat(onWrite).isInstanceOf(ConfluentSerdes.RegistryUnavailableException.class);
    assertThat(onRead).isInstanceOf(ConfluentSerdes.RegistryUnavailableException.class);
    assertThat(TransientErrors.isTransient(onWrite)).isTrue();
    assertThat(TransientErrors.isTransient(onRead)).isTrue();
  }

  static TextEvent event(String id) {
    return TextEvent.newBuilder()
        .setId(id)
        .setText("héllo wörld")
        .setSource("test")
        .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setIngestedAt(Instant.ofEpochMilli(1_700_000_001_000L))
        .setMetadata(Map.of("llm_label", "positive"))
        .build();
  }

  private static int schemaId(byte[] bytes) {
    return ByteBuffer.wrap(bytes, 1, 4).getInt();
  }

  private static byte[] wireFormat(int id, Schema schema, GenericRecord value) throws Exception {
    var out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    var encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema, GenericData.get()).write(value, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private JsonNode send(HttpRequest request) throws Exception {
    var response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpRequest register(String subject, String schema) {
    var body = JSON.createObjectNode().put("schema", schema).toString();
    return HttpRequest.newBuilder(URI.create(ccompat + "/subjects/" + subject + "/versions"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpRequest put(String path, String body) {
    return HttpRequest.newBuilder(URI.create(ccompat + path))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .PUT(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(ccompat + path)).build();
  }
}
