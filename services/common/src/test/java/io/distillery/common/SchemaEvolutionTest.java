package io.distillery.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.common.testing.SharedCluster;
import io.distillery.schema.LabeledText;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.QualityReport;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.ScoredText;
import io.distillery.schema.TextEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The contracts can evolve: the registry enforces compatibility on every subject. */
class SchemaEvolutionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String ccompat = SharedCluster.get().registryUrl() + "/apis/ccompat/v7";

  @Test
  void shouldRegisterEveryContractUnderBackwardCompatibility() throws Exception {
    assertThat(get("/config").body()).contains("BACKWARD");
    for (var schema :
        List.of(
            TextEvent.SCHEMA$,
            LabeledText.SCHEMA$,
            ReviewRequest.SCHEMA$,
            ReviewVerdict.SCHEMA$,
            QualityReport.SCHEMA$,
            ModelVersion.SCHEMA$,
            ScoredText.SCHEMA$)) {
      assertThat(register(subject(), schema.toString()).statusCode())
          .as(schema.getName())
          .isEqualTo(200);
    }
  }

  @Test
  void shouldAcceptANewFieldWithADefault() throws Exception {
    var subject = subject();
    assertThat(register(subject, TextEvent.SCHEMA$.toString()).statusCode()).isEqualTo(200);

    var evolved =
        withField(
            TextEvent.SCHEMA$, "{\"name\":\"language\",\"type\":\"string\",\"default\":\"und\"}");

    assertThat(register(subject, evolved).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldRejectANewRequiredFieldWithoutADefault() throws Exception {
    var subject = subject();
    assertThat(register(subject, TextEvent.SCHEMA$.toString()).statusCode()).isEqualTo(200);

    var evolved = withField(TextEvent.SCHEMA$, "{\"name\":\"language\",\"type\":\"string\"}");

    assertThat(register(subject, evolved).statusCode()).isEqualTo(409);
  }

  @Test
  void shouldRejectRemovingARequiredFieldWhereOldReadersMustKeepWorking() throws Exception {
    // Under BACKWARD alone Avro allows dropping a field (a new reader ignores it); FULL also
    // protects existing
    // downstream readers, which would find a required field missing.
    var subject = subject();
    assertThat(register(subject, LabeledText.SCHEMA$.toString()).statusCode()).isEqualTo(200);
    assertThat(put("/config/" + subject, "{\"compatibility\":\"FULL\"}").statusCode())
        .isEqualTo(200);

    var tree = (ObjectNode) JSON.readTree(LabeledText.SCHEMA$.toString());
    var fields = (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("fields");
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).get("name").asText().equals("task")) {
        fields.remove(i);
        break;
      }
    }

    assertThat(register(subject, tree.toString()).statusCode()).isEqualTo(409);
  }

  private static String subject() {
    return "evolution-" + UUID.randomUUID() + "-value";
  }

  private static String withField(Schema schema, String field) throws Exception {
    var tree = (ObjectNode) JSON.readTree(schema.toString());
    ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("fields")).add(JSON.readTree(field));
    return tree.toString();
  }

  private HttpResponse<String> register(String subject, String schema) throws Exception {
    var body = JSON.createObjectNode().put("schema", schema).toString();
    return http.send(
        HttpRequest.newBuilder(URI.create(ccompat + "/subjects/" + subject + "/versions"))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(ccompat + path))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(ccompat + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
