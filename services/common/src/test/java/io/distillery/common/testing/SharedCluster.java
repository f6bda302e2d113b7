package io.distillery.common.testing;

import io.distillery.common.AvroSerdes;
import io.distillery.common.EmbeddedKafka;
import io.distillery.common.TopicAdmin;
import io.distillery.common.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One real broker (KRaft, in this JVM) and one real schema registry (the packaged Apicurio, as a
 * child process) per test JVM, started on first use and stopped when the JVM exits. Each test class
 * takes a fresh topic prefix.
 */
public final class SharedCluster {

  private static SharedCluster instance;

  private final EmbeddedKafka kafka;
  private final Process registry;
  private final String registryUrl;

  private SharedCluster(EmbeddedKafka kafka, Process registry, String registryUrl) {
    this.kafka = kafka;
    this.registry = registry;
    this.registryUrl = registryUrl;
  }

  /** The shared cluster, started if needed. */
  public static synchronized SharedCluster get() {
    if (instance == null) {
      try {
        instance = start();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the test cluster: " + e.getMessage(), e);
      }
      var started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-cluster-stop"));
    }
    return instance;
  }

  private static SharedCluster start() throws Exception {
    var dir = Files.createTempDirectory("distillery-test-kafka");
    var kafka = EmbeddedKafka.start(dir, 0);
    var jar =
        Path.of(
            System.getProperty(
                "distillery.registry.jar",
                "../../deploy/schema-registry/target/quarkus-app/quarkus-run.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "the schema registry is not built: "
              + jar.toAbsolutePath()
              + " (run ./mvnw install once)");
    }
    int port = EmbeddedKafka.freePort();
    var log = Files.createTempFile("distillery-test-registry", ".log");
    var process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-jar",
                jar.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    var url = "http://127.0.0.1:" + port;
    awaitRegistry(url, process, log);
    return new SharedCluster(kafka, process, url);
  }

  private static void awaitRegistry(String url, Process process, Path log) throws Exception {
    var http = HttpClient.newHttpClient();
    var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the schema registry exited: " + Files.readString(log));
      }
      try {
        var response =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/apis/ccompat/v7/subjects")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          // Confluent's default; Apicurio's is NONE (DESIGN.md, Pitfalls).
          var put =
              HttpRequest.newBuilder(URI.create(url + "/apis/ccompat/v7/config"))
                  .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                  .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"BACKWARD\"}"))
                  .build();
          http.send(put, HttpResponse.BodyHandlers.ofString());
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the schema registry did not start in 90 s: " + Files.readString(log));
  }

  /** {@code host:port} of the broker. */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** Base URL of the registry. */
  public String registryUrl() {
    return registryUrl;
  }

  /** A fresh topic registry with a unique prefix, its topics created and ready. */
  public Topics freshTopics(int partitions) {
    var topics =
        Topics.create(
            "t" + UUID.randomUUID().toString().substring(0, 8), new AvroSerdes(registryUrl));
    TopicAdmin.ensureTopics(
        bootstrapServers(), topics.newTopics(partitions, (short) 1), Duration.ofSeconds(60));
    return topics;
  }

  private void stop() {
    registry.destroy();
    try {
      if (!registry.waitFor(10, TimeUnit.SECONDS)) {
        registry.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kafka.close();
  }
}
