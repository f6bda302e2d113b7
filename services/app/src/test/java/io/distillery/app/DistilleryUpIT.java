package io.distillery.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.AvroSerdes;
import io.distillery.common.EmbeddedKafka;
import io.distillery.common.Topics;
import io.distillery.common.testing.Records;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./distillery up} as a user runs it: start, ingest over HTTP, see scored records, stop with
 * a signal; no process left behind. Runs against the packaged application (failsafe, after {@code
 * package}).
 */
class DistilleryUpIT {

  @TempDir Path home;

  @Test
  void shouldStartIngestScoreAndStopWithoutLeavingProcesses() throws Exception {
    var root = Path.of(System.getProperty("distillery.home", "../.."));
    int kafkaPort = EmbeddedKafka.freePort();
    int registryPort = EmbeddedKafka.freePort();
    int appPort = EmbeddedKafka.freePort();
    var log = home.resolve("up.out");
    var builder =
        new ProcessBuilder(root.resolve("distillery").toString(), "up")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    var env = builder.environment();
    env.remove("KAFKA_BOOTSTRAP_SERVERS");
    env.remove("SCHEMA_REGISTRY_URL");
    env.put("DISTILLERY_HOME", home.toString());
    env.put("DISTILLERY_KAFKA_PORT", Integer.toString(kafkaPort));
    env.put("DISTILLERY_REGISTRY_PORT", Integer.toString(registryPort));
    env.put("DISTILLERY_HTTP_PORT", Integer.toString(appPort));
    var process = builder.start();
    List<ProcessHandle> children = new ArrayList<>();
    try {
      awaitLine(log, "running; Ctrl-C stops everything", process, Duration.ofMinutes(4));
      children.addAll(process.descendants().toList());
      assertThat(children).as("kafka, registry and app processes").hasSizeGreaterThanOrEqualTo(3);
      assertThat(Files.readString(log))
          .contains("http://127.0.0.1:" + appPort)
          .contains("distillery.texts.scored")
          .contains("ingested 320 of 320 rows");

      var http = HttpClient.newHttpClient();
      var body =
          "[{\"id\":\"up-1\",\"text\":\"Works great, would buy again.\"},{\"id\":\"up-2\",\"text\":\"Broke in a day. Avoid.\"},{\"id\":\"up-3\"}]";
      var texts = URI.create("http://127.0.0.1:" + appPort + "/api/texts");
      var anonymous =
          http.send(
              HttpRequest.newBuilder(texts)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).as("ingest needs a login").isEqualTo(401);
      var password = Files.readString(home.resolve("ingest-password")).trim();
      assertThat(Files.readString(log)).doesNotContain(password);
      var login =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(("ingest:" + password).getBytes(StandardCharsets.UTF_8));
      var response =
          http.send(
              HttpRequest.newBuilder(texts)
                  .header("Content-Type", "application/json")
                  .header("Authorization", login)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(response.body()).contains("\"accepted\":2").contains("\"index\":2");

      var topics = Topics.create("distillery", new AvroSerdes("http://127.0.0.1:" + registryPort));
      var scored =
          Records.readUntil(
              "127.0.0.1:" + kafkaPort,
              topics.scored(),
              Duration.ofMinutes(3),
              // Every text, sample and HTTP alike; partitions drain in their own order.
              r ->
                  r.stream().filter(x -> x.key().startsWith("up-")).count() >= 2
                      && r.stream().filter(x -> x.key().startsWith("sample-")).count() >= 320);
      assertThat(scored)
          .filteredOn(r -> r.key().startsWith("up-"))
          .extracting(r -> r.key())
          .containsExactlyInAnyOrder("up-1", "up-2");
      assertThat(scored).filteredOn(r -> r.key().startsWith("sample-")).hasSize(320);

      var health =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/q/health/ready"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.body())
          .contains("labeler")
          .contains("auditor")
          .contains("trainer")
          .contains("classifier");
      var live =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/q/health/live"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).contains("distillery-roles-alive");
      var metrics =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/q/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .contains("distillery_classifier_scored_total")
          .contains("distillery_role_ready{role=\"trainer\"} 1.0");
      var quality =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/api/quality"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(quality.statusCode()).isEqualTo(200);
      var verdicts = URI.create("http://127.0.0.1:" + appPort + "/api/verdicts");
      var verdictBody =
          "[{\"id\":\"sample-0001\",\"label\":\"negative\"},{\"id\":\"sample-0002\",\"label\":\"maybe\"}]";
      var anonymousVerdict =
          http.send(
              HttpRequest.newBuilder(verdicts)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(verdictBody))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymousVerdict.statusCode()).as("review needs a login").isEqualTo(401);
      for (var path : List.of("/api/review/next", "/review/", "/review/review.js")) {
        var anonymousReview =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymousReview.statusCode()).as("%s needs a login", path).isEqualTo(401);
      }
      for (var path : List.of("/api/review/answer", "/api/review/undo")) {
        var anonymousReview =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + path))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"id\":\"sample-0001\",\"skipped\":true}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymousReview.statusCode()).as("%s needs a login", path).isEqualTo(401);
      }
      var reviewerLogin =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      ("reviewer:" + Files.readString(home.resolve("reviewer-password")).trim())
                          .getBytes(StandardCharsets.UTF_8));
      var verdict =
          http.send(
              HttpRequest.newBuilder(verdicts)
                  .header("Content-Type", "application/json")
                  .header("Authorization", reviewerLogin)
                  .POST(HttpRequest.BodyPublishers.ofString(verdictBody))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(verdict.statusCode()).isEqualTo(202);
      assertThat(verdict.body()).contains("\"accepted\":1").contains("\"index\":1");
      var teacher =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/api/teacher"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(teacher.body())
          .as("without an LLM key, up labels with the offline zero-shot teacher")
          .contains("\"kind\":\"zero-shot\"")
          .contains("\"state\":\"labeled 322 records\"")
          .as("an offline teacher's answers are not cached: they cost nothing")
          .contains("\"cache\":null");
      assertThat(quality.body()).startsWith("[");
    } finally {
      process.destroy();
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("launcher stops on SIGTERM").isTrue();
    }
    for (var child : children) {
      child.onExit().get(30, TimeUnit.SECONDS);
      assertThat(child.isAlive()).as("child %s", child.info().commandLine().orElse("?")).isFalse();
    }
    assertThat(Files.readString(log)).contains("stopped");
    assertThat(Files.exists(home.resolve("kafka"))).isTrue();
  }

  private static void awaitLine(Path log, String line, Process process, Duration timeout)
      throws Exception {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readString(log).contains(line)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("distillery up exited early:\n" + Files.readString(log));
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no '" + line + "' in " + timeout + ":\n" + Files.readString(log));
  }
}
