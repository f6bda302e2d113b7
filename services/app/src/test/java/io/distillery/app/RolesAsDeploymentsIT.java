package io.distillery.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.common.Topics;
import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import io.distillery.devcluster.EmbeddedKafka;
import java.io.IOException;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster layout of deploy/compose.yaml and k8s/, for real on one machine: the packaged app
 * started once per role (two classifiers sharing the partitions of {@code texts.raw}), each with
 * only its role, its own state directory and HTTP port, all on one broker and registry — nothing
 * but {@code DISTILLERY_ROLES} and the wiring differs from {@code ./distillery up}.
 */
class RolesAsDeploymentsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "it-password";

  @TempDir Path dir;

  private final List<Pod> pods = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /** One process of the packaged app, as one pod or compose service. */
  private record Pod(String name, Process process, int port, Path log) {
    String url() {
      return "http://127.0.0.1:" + port;
    }
  }

  @Test
  void eachRoleInItsOwnProcessDistilsAndTwoClassifiersShareTheStream() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(3);
    var models = Files.createDirectories(dir.resolve("models"));
    start("labeler", topics, cluster, models);
    start("auditor", topics, cluster, models);
    start("trainer", topics, cluster, models);
    var classifierA = start("classifier", topics, cluster, models);
    var classifierB = start("classifier", topics, cluster, models);
    for (var pod : pods) {
      await(
          pod.name() + " ready",
          Duration.ofMinutes(4),
          () -> status(pod, "/q/health/ready") == 200);
    }

    // No model yet: the classifiers send every text to the teacher; 200 labels make the trainer
    // train.
    var sample = sampleTexts();
    assertThat(post(classifierA, sample)).isEqualTo(202);
    var trainer = pods.get(2);
    await(
        "a promoted model",
        Duration.ofMinutes(4),
        () -> !get(trainer, "/api/trainer").get("champion").isNull());
    for (var classifier : List.of(classifierA, classifierB)) {
      await(
          classifier.name() + " follows the model",
          Duration.ofMinutes(2),
          () -> !get(classifier, "/api/classifier").get("modelVersion").isNull());
    }

    // With the model: every new text is scored exactly once, by one of the two classifiers.
    var fresh = new ArrayList<Map<String, String>>();
    for (int i = 0; i < 300; i++) {
      fresh.add(Map.of("id", "after-" + i, "text", sample.get(i % sample.size()).get("text")));
    }
    assertThat(post(classifierB, fresh)).isEqualTo(202);
    Predicate<String> isFresh = id -> id.startsWith("after-");
    var scored =
        Records.readUntil(
            cluster.bootstrapServers(),
            topics.scored(),
            Duration.ofMinutes(2),
            r -> r.stream().map(x -> x.key()).filter(isFresh).distinct().count() == 300);
    var perId = new HashMap<String, Integer>();
    scored.stream()
        .map(r -> r.key())
        .filter(isFresh)
        .forEach(id -> perId.merge(id, 1, Integer::sum));
    assertThat(perId).hasSize(300);
    assertThat(perId.values()).as("each text scored once").containsOnly(1);
    assertThat(scored).allSatisfy(r -> assertThat(r.value().getModelVersion()).isNotNull());
    long a = get(classifierA, "/api/classifier").get("scored").asLong();
    long b = get(classifierB, "/api/classifier").get("scored").asLong();
    assertThat(a).as("classifier A scored some").isPositive();
    assertThat(b).as("classifier B scored some").isPositive();
    // The per-process counters are not transactional: a task redone after a rebalance counts its
    // texts
    // again in memory but commits them once, so the topic (above) is the exactly-once evidence and
    // the
    // counters only show that the two together scored every new text.
    assertThat(a + b)
        .as("between them, every new text scored")
        .isGreaterThanOrEqualTo(fresh.size());

    // Each endpoint lives with its role (the Ingress and the compose gateway route by path).
    assertThat(status(pods.get(1), "/api/quality")).isEqualTo(200);
    assertThat(status(classifierA, "/api/quality")).isEqualTo(404);
    assertThat(status(classifierA, "/api/trainer")).isEqualTo(404);

    // Stopped as Kubernetes stops a pod: SIGTERM, then the grace period.
    for (var pod : pods) {
      pod.process().destroy();
    }
    for (var pod : pods) {
      assertThat(pod.process().waitFor(120, TimeUnit.SECONDS)).as(pod.name() + " stops").isTrue();
    }
  }

  @AfterEach
  void stopLeftovers() throws IOException {
    for (var pod : pods) {
      if (pod.process().isAlive()) {
        pod.process().destroyForcibly();
      }
    }
  }

  private Pod start(String role, Topics topics, SharedCluster cluster, Path models)
      throws IOException {
    var root = Path.of(System.getProperty("distillery.home", "../.."));
    var jar = root.resolve("services/app/target/quarkus-app/quarkus-run.jar");
    int port = EmbeddedKafka.freePort();
    var name = role + "-" + pods.size();
    var log = dir.resolve(name + ".log");
    var builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx768m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-jar",
                jar.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    var env = builder.environment();
    env.putAll(
        Map.ofEntries(
            Map.entry("DISTILLERY_ROLES", role),
            Map.entry("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers()),
            Map.entry("SCHEMA_REGISTRY_URL", cluster.registryUrl()),
            Map.entry("DISTILLERY_TOPIC_PREFIX", topics.prefix()),
            Map.entry("DISTILLERY_KAFKA_PARTITIONS", "3"),
            Map.entry("DISTILLERY_AUDITOR_APPLICATION_ID", topics.prefix() + "-auditor"),
            Map.entry("DISTILLERY_CLASSIFIER_APPLICATION_ID", topics.prefix() + "-classifier"),
            Map.entry("DISTILLERY_LABELER_GROUP_ID", topics.prefix() + "-labeler"),
            Map.entry("DISTILLERY_STATE_DIR", dir.resolve(name).toString()),
            Map.entry("DISTILLERY_TRAINER_MODELS_DIR", models.toString()),
            Map.entry("DISTILLERY_TRAINER_REQUIRE_GATE_PASS", "false"),
            Map.entry("DISTILLERY_TEACHER_KIND", "replay"),
            Map.entry("DISTILLERY_CODEBOOK", root.resolve("examples/codebook.yaml").toString()),
            Map.entry("DISTILLERY_INGEST_PASSWORD", PASSWORD),
            Map.entry("DISTILLERY_REVIEWER_PASSWORD", PASSWORD),
            Map.entry("DISTILLERY_OPERATOR_PASSWORD", PASSWORD),
            Map.entry("QUARKUS_HTTP_PORT", Integer.toString(port)),
            Map.entry("OPT_OUT_TRACKING", "true"),
            Map.entry("DJL_OFFLINE", "true")));
    env.remove("OPENAI_API_KEY");
    var pod = new Pod(name, builder.start(), port, log);
    pods.add(pod);
    return pod;
  }

  /** The sample stream's texts with their recorded teacher labels, for the replay teacher. */
  private static List<Map<String, String>> sampleTexts() throws IOException {
    var root = Path.of(System.getProperty("distillery.home", "../.."));
    var out = new ArrayList<Map<String, String>>();
    for (var line : Files.readAllLines(root.resolve("examples/sample-stream.jsonl"))) {
      var row = JSON.readTree(line);
      var text = new LinkedHashMap<String, String>();
      text.put("id", row.get("id").asText());
      text.put("text", row.get("text").asText());
      text.put("llm_label", row.get("llm_label").asText());
      out.add(text);
    }
    return out;
  }

  private int post(Pod pod, List<Map<String, String>> texts) throws Exception {
    var login =
        Base64.getEncoder().encodeToString(("ingest:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    var request =
        HttpRequest.newBuilder(URI.create(pod.url() + "/api/texts"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Basic " + login)
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(texts)))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private int status(Pod pod, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(pod.url() + path)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private JsonNode get(Pod pod, String path) throws Exception {
    var response =
        http.send(
            HttpRequest.newBuilder(URI.create(pod.url() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(pod.name() + " " + path).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private void await(String what, Duration timeout, Condition condition) throws Exception {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (var pod : pods) {
        if (!pod.process().isAlive()) {
          throw new AssertionError(pod.name() + " exited:\n" + tail(pod));
        }
      }
      if (condition.holds()) {
        return;
      }
      Thread.sleep(500);
    }
    var logs = new StringBuilder();
    for (var pod : pods) {
      logs.append("--- ").append(pod.name()).append('\n').append(tail(pod));
    }
    throw new AssertionError("no " + what + " in " + timeout + "\n" + logs);
  }

  private static String tail(Pod pod) throws IOException {
    var lines = Files.readAllLines(pod.log());
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
  }
}
