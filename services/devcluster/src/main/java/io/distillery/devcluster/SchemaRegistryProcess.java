package io.distillery.devcluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The packaged Apicurio registry (deploy/schema-registry) in a child JVM on a free loopback port,
 * with Confluent's default compatibility, BACKWARD (Apicurio's is NONE: DESIGN.md, Pitfalls). For
 * the tests' shared cluster and the benchmarks; {@code ./distillery up} starts it from bash.
 */
public final class SchemaRegistryProcess implements AutoCloseable {

  private final Process process;
  private final String url;

  private SchemaRegistryProcess(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /**
   * Starts the registry packaged as {@code jar}, its output in {@code log}, and waits until it
   * answers (90 s at most).
   */
  public static SchemaRegistryProcess start(Path jar, Path log) throws Exception {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "the schema registry is not built: "
              + jar.toAbsolutePath()
              + " (build deploy/schema-registry, or set -Ddistillery.registry.jar)");
    }
    int port = EmbeddedKafka.freePort();
    var process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-jar",
                jar.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    var registry = new SchemaRegistryProcess(process, "http://127.0.0.1:" + port);
    try {
      registry.await(log);
    } catch (Exception e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  /** Base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  private void await(Path log) throws Exception {
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
          requireBackwardCompatibility(http, url);
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

  /**
   * Sets the registry's global compatibility to BACKWARD, Confluent's default (Apicurio's is NONE:
   * DESIGN.md, Pitfalls), through the Confluent API of the registry at {@code url}.
   *
   * @throws IOException when the registry does not accept it
   */
  public static void requireBackwardCompatibility(HttpClient http, String url)
      throws IOException, InterruptedException {
    var put =
        HttpRequest.newBuilder(URI.create(url + "/apis/ccompat/v7/config"))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"BACKWARD\"}"))
            .build();
    var response = http.send(put, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "the registry at "
              + url
              + " refused compatibility BACKWARD: HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
