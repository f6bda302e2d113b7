package io.distillery.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.ConfluentSerdes;
import io.distillery.common.RegistrySerdes;
import io.distillery.common.TopicAdmin;
import io.distillery.common.Topics;
import io.distillery.schema.TextEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The containers path of the test cluster ({@code -Pcontainers}): started for real whenever a
 * Docker engine answers, with or without the profile, so it is exercised wherever it can be. Where
 * no engine answers (CI here) the test is skipped, and says so.
 */
class ContainersClusterTest {

  @Test
  void kafkaAndTheRegistryInContainersCarryOurRecordsInTheConfluentWireFormat() throws Exception {
    var answers = ContainersCluster.dockerAnswers();
    if (!answers) {
      // On the console as well as in the report: a skipped integration path must be visible.
      System.out.println(
          "[ContainersClusterTest] SKIPPED: no Docker engine answers; the Testcontainers cluster"
              + " (apache/kafka + "
              + ContainersCluster.REGISTRY_IMAGE
              + ") was not started");
    }
    Assumptions.assumeTrue(
        answers,
        "no Docker engine answers: the Testcontainers cluster (apache/kafka + "
            + ContainersCluster.REGISTRY_IMAGE
            + ") was not started; the in-JVM broker serves the other tests");
    try (var cluster = ContainersCluster.start()) {
      var written =
          Topics.create("containers", RegistrySerdes.of("apicurio", cluster.registryUrl()));
      TopicAdmin.ensureTopics(
          cluster.bootstrapServers(), written.newTopics(2, (short) 1), Duration.ofSeconds(60));
      var event =
          TextEvent.newBuilder()
              .setId("c-1")
              .setText("from a container")
              .setSource("test")
              .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
              .setIngestedAt(Instant.ofEpochMilli(1_700_000_001_000L))
              .setMetadata(Map.of())
              .build();
      Records.send(
          cluster.bootstrapServers(),
          written.raw(),
          List.of(new ProducerRecord<>(written.raw().name(), "c-1", event)));

      // Read back through the Confluent API, as any third-party consumer would.
      var read =
          Topics.create(
              "containers", new ConfluentSerdes(cluster.registryUrl() + "/apis/ccompat/v7"));
      var records =
          Records.readUntil(
              cluster.bootstrapServers(), read.raw(), Duration.ofSeconds(60), r -> !r.isEmpty());
      assertThat(records).hasSize(1);
      assertThat(records.get(0).value()).isEqualTo(event);

      var subjects =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(cluster.registryUrl() + "/apis/ccompat/v7/subjects"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(subjects.body()).contains("containers.texts.raw-value");
    }
  }
}
