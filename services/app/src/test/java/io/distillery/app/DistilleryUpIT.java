package io.distillery.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.AvroSerdes;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
    var stack = LocalStack.up(home, Map.of());
    try {
      assertThat(stack.children())
          .as("kafka, registry and app processes")
          .hasSizeGreaterThanOrEqualTo(3);
      assertThat(stack.output())
          .contains(stack.appUrl())
          .contains("distillery.texts.scored")
          .contains("ingested 320 of 320 rows");

      var http = HttpClient.newHttpClient();
      var body =
          "[{\"id\":\"up-1\",\"text\":\"Works great, would buy again.\"},{\"id\":\"up-2\",\"text\":\"Broke in a day. Avoid.\"},{\"id\":\"up-3\"}]";
      var texts = URI.create(stack.appUrl() + "/api/texts");
      var anonymous =
          http.send(
              HttpRequest.newBuilder(texts)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).as("ingest needs a login").isEqualTo(401);
      var password = stack.password("ingest");
      assertThat(stack.output()).doesNotContain(password);
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

      // Bodies that are not UTF-8 JSON, and a text that is not a string, get a JSON reason.
      var notJson = "[{\"id\":\"up-9\",\"text\":".getBytes(StandardCharsets.UTF_8);
      var badUtf8 =
          new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
      for (var bad : List.of(notJson, badUtf8)) {
        var refused =
            http.send(
                HttpRequest.newBuilder(texts)
                    .header("Content-Type", "application/json")
                    .header("Authorization", login)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bad))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(refused.body()).contains("\"accepted\":0").contains("not valid UTF-8 JSON: ");
      }
      var number =
          http.send(
              HttpRequest.newBuilder(texts)
                  .header("Content-Type", "application/json")
                  .header("Authorization", login)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"up-8\",\"text\":42}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(number.statusCode()).isEqualTo(400);
      assertThat(number.body()).contains("'text' must be a JSON string, got a number");

      // An operator's decision the model records do not allow is the request's fault: 409, JSON.
      var operator =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      ("operator:" + stack.password("operator")).getBytes(StandardCharsets.UTF_8));
      for (var decision : List.of("promote", "rollback")) {
        var conflict =
            http.send(
                HttpRequest.newBuilder(URI.create(stack.appUrl() + "/api/models/9999/" + decision))
                    .header("Authorization", operator)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(conflict.statusCode()).as(decision).isEqualTo(409);
        assertThat(conflict.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(conflict.body())
            .as(decision)
            .contains(
                decision.equals("promote")
                    ? "{\"error\":\"no version 9999 is known\"}"
                    : "{\"error\":\"v9999 is not the champion");
      }

      var topics = Topics.create("distillery", new AvroSerdes(stack.registryUrl()));
      var scored =
          Records.readUntil(
              stack.bootstrapServers(),
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
              HttpRequest.newBuilder(URI.create(stack.appUrl() + "/q/health/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.body())
          .contains("labeler")
          .contains("auditor")
          .contains("trainer")
          .contains("classifier");
      var live =
          http.send(
              HttpRequest.newBuilder(URI.create(stack.appUrl() + "/q/health/live")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).contains("distillery-roles-alive");
      var metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(stack.appUrl() + "/q/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .contains("distillery_classifier_scored_total")
          .contains("distillery_role_ready{role=\"trainer\"} 1.0");
      var quality =
          http.send(
              HttpRequest.newBuilder(URI.create(stack.appUrl() + "/api/quality")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(quality.statusCode()).isEqualTo(200);
      var verdicts = URI.create(stack.appUrl() + "/api/verdicts");
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
                HttpRequest.newBuilder(URI.create(stack.appUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymousReview.statusCode()).as("%s needs a login", path).isEqualTo(401);
      }
      for (var path : List.of("/api/review/answer", "/api/review/undo")) {
        var anonymousReview =
            http.send(
                HttpRequest.newBuilder(URI.create(stack.appUrl() + path))
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
                      ("reviewer:" + stack.password("reviewer")).getBytes(StandardCharsets.UTF_8));
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
      // The classifier routes a text to the teacher while it has no model, when it is unsure, or
      // by a random sample: once the trainer's first model is out, not every text is labeled. A
      // scored record is committed with its routing, so every text routed so far is on the topic;
      // the labeler must label each of them.
      var routed =
          Records.readToEnd(stack.bootstrapServers(), topics.forTeacher(), Duration.ofMinutes(1));
      assertThat(routed)
          .as("the first texts are routed to the teacher, before any model exists")
          .isNotEmpty();
      var everyRoutedText = "\"state\":\"labeled " + routed.size() + " records\"";
      var teacherState = URI.create(stack.appUrl() + "/api/teacher");
      var teacherDeadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      var teacher =
          http.send(
              HttpRequest.newBuilder(teacherState).build(), HttpResponse.BodyHandlers.ofString());
      while (!teacher.body().contains(everyRoutedText) && System.nanoTime() < teacherDeadline) {
        Thread.sleep(250);
        teacher =
            http.send(
                HttpRequest.newBuilder(teacherState).build(), HttpResponse.BodyHandlers.ofString());
      }
      assertThat(teacher.body())
          .as("without an LLM key, up labels with the offline zero-shot teacher")
          .contains("\"kind\":\"zero-shot\"")
          .contains(everyRoutedText)
          .as("an offline teacher's answers are not cached: they cost nothing")
          .contains("\"cache\":null");
      assertThat(quality.body()).startsWith("[");
    } finally {
      stack.stop();
    }
    assertThat(stack.output()).contains("stopped");
    assertThat(Files.exists(home.resolve("kafka"))).isTrue();
  }
}
