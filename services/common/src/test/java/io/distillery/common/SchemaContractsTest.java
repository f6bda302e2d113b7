package io.distillery.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.testing.SharedCluster;
import io.distillery.schema.ReviewVerdict;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The contracts are findable: the app registers every topic's value schema at start, so a producer
 * in another language can fetch {@code <topic>-value} before anyone wrote a record, and what it
 * fetches is what our serdes then write with.
 */
class SchemaContractsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static com.fasterxml.jackson.databind.JsonNode get(String url) throws Exception {
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void shouldRegisterEveryTopicsSchemaBeforeAnyRecordIsWritten() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var ccompat = cluster.registryUrl() + "/apis/ccompat/v7";

    var ids =
        RegistrySerdes.registerContracts(
            RegistrySerdes.APICURIO, cluster.registryUrl(), topics.valueSchemas());

    assertThat(ids).hasSize(8).containsKey(topics.reviewVerdicts().name() + "-value");
    for (var entry : topics.valueSchemas().entrySet()) {
      var latest = get(ccompat + "/subjects/" + entry.getKey() + "-value/versions/latest");
      assertThat(new Schema.Parser().parse(latest.get("schema").asText()))
          .isEqualTo(entry.getValue());
    }

    // A verdict written by our serdes afterwards carries the id a third party fetched, and
    // registering again at the next start changes nothing.
    var verdict =
        ReviewVerdict.newBuilder()
            .setId("t1")
            .setTask("sentiment")
            .setLabel("positive")
            .setReviewer("ann")
            .setDecidedAt(Instant.ofEpochMilli(1_700_000_000_000L))
            .build();
    var bytes =
        topics
            .reviewVerdicts()
            .valueSerde()
            .serializer()
            .serialize(topics.reviewVerdicts().name(), verdict);
    var subject = topics.reviewVerdicts().name() + "-value";
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(ids.get(subject));
    assertThat(
            RegistrySerdes.registerContracts(
                RegistrySerdes.APICURIO, cluster.registryUrl(), topics.valueSchemas()))
        .isEqualTo(ids);
    assertThat(get(ccompat + "/subjects/" + subject + "/versions")).hasSize(1);
  }
}
