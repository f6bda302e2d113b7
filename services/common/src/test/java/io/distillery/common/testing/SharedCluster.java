package io.distillery.common.testing;

import io.distillery.common.AvroSerdes;
import io.distillery.common.TopicAdmin;
import io.distillery.common.Topics;
import io.distillery.devcluster.EmbeddedKafka;
import io.distillery.devcluster.SchemaRegistryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * One real broker and one real schema registry per test JVM, started on first use and stopped when
 * the JVM exits. Each test class takes a fresh topic prefix.
 *
 * <p>Where they run is {@code distillery.test.cluster}: {@code embedded} (default; the broker in
 * this JVM, KRaft, and the packaged Apicurio as a child process — what CI uses, no Docker needed)
 * or {@code containers} ({@code ./mvnw verify -Pcontainers}: {@code apache/kafka} and the Apicurio
 * image in Testcontainers, where a Docker engine runs).
 */
public final class SharedCluster {

  /** Where the broker and the registry run. */
  interface Backend extends AutoCloseable {
    String bootstrapServers();

    String registryUrl();

    @Override
    void close();
  }

  private static SharedCluster instance;

  private final Backend backend;

  private SharedCluster(Backend backend) {
    this.backend = backend;
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
    var kind = System.getProperty("distillery.test.cluster", "embedded");
    return switch (kind) {
      case "embedded" -> new SharedCluster(embedded());
      case "containers" -> {
        if (!ContainersCluster.dockerAnswers()) {
          throw new IllegalStateException(
              "distillery.test.cluster=containers (-Pcontainers) but no Docker engine answers;"
                  + " run without -Pcontainers to use the in-JVM broker");
        }
        yield new SharedCluster(ContainersCluster.start());
      }
      default ->
          throw new IllegalStateException(
              "distillery.test.cluster: unknown value " + kind + "; known: embedded, containers");
    };
  }

  private static Backend embedded() throws Exception {
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
    var registry =
        SchemaRegistryProcess.start(jar, Files.createTempFile("distillery-test-registry", ".log"));
    return new Backend() {
      @Override
      public String bootstrapServers() {
        return kafka.bootstrapServers();
      }

      @Override
      public String registryUrl() {
        return registry.url();
      }

      @Override
      public void close() {
        registry.close();
        kafka.close();
      }
    };
  }

  /** {@code host:port} of the broker. */
  public String bootstrapServers() {
    return backend.bootstrapServers();
  }

  /** Base URL of the registry. */
  public String registryUrl() {
    return backend.registryUrl();
  }

  /** A fresh topic registry with a unique prefix, its topics created and ready. */
  public Topics freshTopics(int partitions) {
    var topics =
        Topics.create(
            "t" + UUID.randomUUID().toString().substring(0, 8), new AvroSerdes(registryUrl()));
    TopicAdmin.ensureTopics(
        bootstrapServers(), topics.newTopics(partitions, (short) 1), Duration.ofSeconds(60));
    return topics;
  }

  private void stop() {
    backend.close();
  }
}
