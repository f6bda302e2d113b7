package io.distillery.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro serdes in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary;
 * subject {@code <topic>-value}) on the Confluent Schema Registry REST API, so Distillery runs
 * against Confluent Schema Registry, Karapace, or Apicurio's {@code /apis/ccompat/v7}.
 *
 * <p>Hand-written, against DESIGN.md's preference for a library: Confluent's own serializer ({@code
 * io.confluent:kafka-avro-serializer}) is not served from Maven Central, and Apicurio's serdes
 * cannot use the Confluent API (DESIGN.md, Pitfalls). It needs only the JDK's HTTP client and
 * Jackson. The serializer registers the class's schema once per subject ({@code POST
 * /subjects/{subject}/versions}) and caches the id; the deserializer fetches each writer schema
 * once ({@code GET /schemas/ids/{id}}) and resolves it against the class's schema, so records
 * written under an older compatible schema read into the current class.
 *
 * <p>Failures: what is the record's fault (bytes not in the wire format, a registry 4xx such as 409
 * incompatible schema, 404 unknown id, 422 invalid schema) is a {@link SerializationException}
 * carrying the registry's message, so the record is dead-lettered. What is not (a network failure,
 * a timeout, 5xx, 408, 429, and 401/403 refused credentials) is a {@link
 * RegistryUnavailableException}, which {@link TransientErrors} classes as transient, so good
 * records wait for the registry instead. Credentials in the URL ({@code
 * https://user:password@host}) are sent as HTTP basic auth and never appear in messages.
 */
public final class ConfluentSerdes implements Topics.ValueSerdes {

  private static final byte MAGIC = 0;
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String baseUrl;
  private final Optional<String> authorization;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  /**
   * @param registryUrl base of a Confluent-compatible API, e.g. {@code http://127.0.0.1:8081} or
   *     Apicurio's {@code http://127.0.0.1:8080/apis/ccompat/v7}; may carry {@code user:password@}
   */
  public ConfluentSerdes(String registryUrl) {
    URI uri;
    try {
      uri = URI.create(registryUrl);
    } catch (IllegalArgumentException e) {
      // The parser's message quotes the URL, credentials included.
      throw new IllegalArgumentException(
          "not a registry URL: " + RegistrySerdes.withoutCredentials(registryUrl));
    }
    if (uri.getHost() == null || uri.getScheme() == null || !uri.getScheme().matches("https?")) {
      throw new IllegalArgumentException(
          "not an http(s)://host registry URL: " + RegistrySerdes.withoutCredentials(registryUrl));
    }
    this.baseUrl =
        uri.getScheme()
            + "://"
            + uri.getHost()
            + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
            + uri.getRawPath().replaceAll("/+$", "");
    this.authorization =
        Optional.ofNullable(uri.getUserInfo())
            .map(
                userInfo ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
  }

  /** A value serde for one generated Avro class. */
  @Override
  public <T extends SpecificRecord> Serde<T> forValue(Class<T> type) {
    var model = SpecificData.getForClass(type);
    var schema = model.getSchema(type);
    return Serdes.serdeFrom(
        new ValueSerializer<>(schema, model), new ValueDeserializer<>(schema, model));
  }

  /** The registry cannot answer now (network, timeout, 5xx, credentials): retry later. */
  public static final class RegistryUnavailableException extends RetriableException {
    private static final long serialVersionUID = 1L;

    RegistryUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final class ValueSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idsBySubject = new ConcurrentHashMap<>();

    ValueSerializer(Schema schema, SpecificData model) {
      this.schema = schema;
      this.writer = new SpecificDatumWriter<>(schema, model);
    }

    @Override
    public byte[] serialize(String topic, T value) {
      if (value == null) {
        return null;
      }
      var subject = topic + "-value";
      var id = idsBySubject.get(subject);
      if (id == null) {
        id = register(subject, schema);
        idsBySubject.put(subject, id);
      }
      var out = new ByteArrayOutputStream();
      out.write(MAGIC);
      out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
      try {
        var encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(value, encoder);
        encoder.flush();
      } catch (IOException | RuntimeException e) {
        throw new SerializationException(
            "cannot write " + schema.getFullName() + " as Avro: " + e.getMessage(), e);
      }
      return out.toByteArray();
    }
  }

  private final class ValueDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final Schema schema;
    private final SpecificData model;
    private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();

    ValueDeserializer(Schema schema, SpecificData model) {
      this.schema = schema;
      this.model = model;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
      if (data == null) {
        return null;
      }
      if (data.length < 5 || data[0] != MAGIC) {
        throw new SerializationException(
            "not in the Confluent wire format (magic byte 0, 4-byte schema id, Avro): "
                + (data.length < 5 ? data.length + " bytes" : "magic byte " + data[0]));
      }
      int id = ByteBuffer.wrap(data, 1, 4).getInt();
      var reader = readersById.get(id);
      if (reader == null) {
        reader = new SpecificDatumReader<>(schema(id), schema, model);
        readersById.put(id, reader);
      }
      var decoder = DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null);
      T value;
      try {
        value = reader.read(null, decoder);
        if (decoder.isEnd()) {
          return value;
        }
      } catch (IOException | RuntimeException e) {
        throw new SerializationException(
            "cannot read " + schema.getFullName() + " written with schema id " + id, e);
      }
      throw new SerializationException(
          "trailing bytes after " + schema.getFullName() + " written with schema id " + id);
    }
  }

  /**
   * Registers {@code schema} under {@code subject} (nothing changes when it is there already) and
   * returns its id, as the serializer does on first use.
   *
   * @throws RegistryUnavailableException when the registry cannot be reached or says "not now"
   * @throws SerializationException when it refuses the schema (an incompatible change, say)
   */
  public int register(String subject, Schema schema) {
    var body = JSON.createObjectNode().put("schema", schema.toString()).toString();
    var path = "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions";
    var request = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
    var answer = call(request, "register the schema of subject " + subject).path("id");
    if (!answer.canConvertToInt()) {
      throw new RegistryUnavailableException(
          "registry " + baseUrl + " gave no schema id for subject " + subject, null);
    }
    return answer.intValue();
  }

  private Schema schema(int id) {
    var cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    var text = call(request("/schemas/ids/" + id).GET(), "read schema id " + id).path("schema");
    Schema schema;
    try {
      schema = new Schema.Parser().parse(text.asText());
    } catch (RuntimeException e) {
      throw new SerializationException("schema id " + id + " is not an Avro schema", e);
    }
    schemasById.put(id, schema);
    return schema;
  }

  private HttpRequest.Builder request(String path) {
    var request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", CONTENT_TYPE + ", application/json")
            .header("Content-Type", CONTENT_TYPE);
    authorization.ifPresent(value -> request.header("Authorization", value));
    return request;
  }

  /** Sends {@code request} and classifies the answer (see the class comment). */
  private JsonNode call(HttpRequest.Builder request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RegistryUnavailableException(
          "cannot reach the registry at " + baseUrl + " to " + what + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
    int status = response.statusCode();
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      answer = null;
    }
    if (status / 100 == 2 && answer != null) {
      return answer;
    }
    var message =
        answer != null && answer.hasNonNull("message")
            ? answer.get("message").asText()
            : abbreviate(response.body());
    var failure = "registry " + baseUrl + " cannot " + what + ": HTTP " + status + " " + message;
    if (status / 100 == 4 && !isTransient(status)) {
      throw new SerializationException(failure);
    }
    throw new RegistryUnavailableException(failure, null);
  }

  /** Statuses that say "not now" or "not you" rather than "not this record". */
  private static boolean isTransient(int status) {
    return status == 401 || status == 403 || status == 408 || status == 429;
  }

  private static String abbreviate(String body) {
    var line = body.replaceAll("\\s+", " ").strip();
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
