package io.distillery.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.distillery.schema.TextEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the Confluent-API serdes send and how they read answers, against a scripted registry on
 * loopback (the JDK's HTTP server): script the answers, run, then check the requests.
 */
class ConfluentSerdesProtocolTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Answer(int status, String body) {}

  private record Request(
      String method, String path, String contentType, String auth, String body) {}

  private final Queue<Answer> answers = new ArrayDeque<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void startRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          var headers = exchange.getRequestHeaders();
          requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getRawPath(),
                  headers.getFirst("Content-Type"),
                  headers.getFirst("Authorization"),
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          var answer = answers.poll();
          var body =
              (answer == null ? "{\"message\":\"nothing scripted\"}" : answer.body())
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answer == null ? 500 : answer.status(), body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stopRegistry() {
    server.stop(0);
  }

  @Test
  void shouldRegisterOncePerSubjectAndFetchEachSchemaOnceWithBasicAuth() throws Exception {
    answers.add(new Answer(200, "{\"id\": 42}"));
    answers.add(
        new Answer(
            200, JSON.createObjectNode().put("schema", TextEvent.SCHEMA$.toString()).toString()));
    var serde = new ConfluentSerdes(url("alice:s3cret@", "/registry/")).forValue(TextEvent.class);

    byte[] first = serde.serializer().serialize("texts", ConfluentSerdesTest.event("1"));
    serde.serializer().serialize("texts", ConfluentSerdesTest.event("2"));
    var read = serde.deserializer().deserialize("texts", first);
    serde.deserializer().deserialize("texts", first);

    assertThat(first[0]).isZero();
    assertThat(ByteBuffer.wrap(first, 1, 4).getInt()).isEqualTo(42);
    assertThat(read).isEqualTo(ConfluentSerdesTest.event("1"));
    assertThat(requests).hasSize(2);
    var register = requests.get(0);
    assertThat(register.method()).isEqualTo("POST");
    assertThat(register.path()).isEqualTo("/registry/subjects/texts-value/versions");
    assertThat(register.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(new Schema.Parser().parse(JSON.readTree(register.body()).get("schema").asText()))
        .isEqualTo(TextEvent.SCHEMA$);
    var fetch = requests.get(1);
    assertThat(fetch.method()).isEqualTo("GET");
    assertThat(fetch.path()).isEqualTo("/registry/schemas/ids/42");
    var basic =
        "Basic "
            + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
    assertThat(requests).extracting(Request::auth).containsOnly(basic);
  }

  @ParameterizedTest(name = "HTTP {0}, transient: {1}")
  @CsvSource({
    "500, true",
    "503, true",
    "408, true",
    "429, true",
    "401, true",
    "403, true",
    "409, false",
    "422, false",
    "404, false"
  })
  void shouldClassifyRegistryAnswersAndKeepCredentialsOutOfMessages(int status, boolean retriable) {
    answers.add(new Answer(status, "{\"error_code\": " + status + ", \"message\": \"said no\"}"));
    var serializer =
        new ConfluentSerdes(url("alice:s3cret@", "")).forValue(TextEvent.class).serializer();

    var error = catchThrowable(() -> serializer.serialize("texts", ConfluentSerdesTest.event("1")));

    assertThat(TransientErrors.isTransient(error)).isEqualTo(retriable);
    assertThat(error)
        .isInstanceOf(
            retriable
                ? ConfluentSerdes.RegistryUnavailableException.class
                : SerializationException.class)
        .hasMessageContaining("HTTP " + status + " said no")
        .hasMessageNotContaining("s3cret")
        .hasMessageNotContaining("alice");
  }

  @Test
  void shouldQuoteABodyThatIsNotJson() {
    answers.add(new Answer(502, "<html>Bad   Gateway</html>"));
    var serializer = new ConfluentSerdes(url("", "")).forValue(TextEvent.class).serializer();

    assertThatThrownBy(() -> serializer.serialize("texts", ConfluentSerdesTest.event("1")))
        .isInstanceOf(ConfluentSerdes.RegistryUnavailableException.class)
        .hasMessageContaining("HTTP 502 <html>Bad Gateway</html>");
  }

  @Test
  void shouldRefuseAUrlThatIsNotHttpWithoutQuotingCredentials() {
    assertThatThrownBy(() -> new ConfluentSerdes("http://alice:s3cret@bad host:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad host")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> new ConfluentSerdes("registry:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http(s)://host");
  }

  private String url(String userInfo, String path) {
    return "http://" + userInfo + "127.0.0.1:" + server.getAddress().getPort() + path;
  }
}
