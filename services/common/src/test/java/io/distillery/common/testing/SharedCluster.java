package io.distillery.common.testing;

import io.distillery.common.AvroSerdes;
import io.distillery.common.EmbeddedKafka;
import io.distillery.common.SchemaRegistryProcess;
import io.distillery.common.TopicAdmin;
import io.distillery.common.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * One real broker (KRaft, in this JVM) and one real schema registry (the packaged Apicurio, as a
 * child process) per test JVM, started on first use and stopped when the JVM exits. Each test class
 * takes a fresh topic prefix.
 */
public final class SharedCluster {

  private static SharedCluster instance;

  private final EmbeddedKafka kafka;
  private final SchemaRegistryProcess registry;

  private SharedCluster(EmbeddedKafka kafka, SchemaRegistryProcess registry) {
    this.kafka = kafka;
    this.registry = registry;
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
    var registry =
        SchemaRegistryProcess.start(jar, Files.createTempFile("distillery-test-registry", ".log"));
    return new SharedCluster(kafka, registry);
  }

  /** {@code host:port} of the broker. */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** Base URL of the registry. */
  public String registryUrl() {
    return registry.url();
  }

  /** A fresh topic registry with a unique prefix, its topics created and ready. */
  public Topics freshTopics(int partitions) {
    var topics =
        Topics.create(
            "t" + UUID.randomUUID().toString().substring(0, 8), new AvroSerdes(registry.url()));
    TopicAdmin.ensureTopics(
        bootstrapServers(), topics.newTopics(partitions, (short) 1), Duration.ofSeconds(60));
    return topics;
  }

  private void stop() {
    registry.close();
    kafka.close();
  }
}
