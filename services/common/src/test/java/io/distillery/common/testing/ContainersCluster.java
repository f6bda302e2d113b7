package io.distillery.common.testing;

import io.distillery.devcluster.SchemaRegistryProcess;
import java.net.http.HttpClient;
import java.time.Duration;
import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The test cluster in containers (Testcontainers): {@code apache/kafka} at the clients' version,
 * KRaft, and Apicurio Registry 2.4.2 (in-memory), the same registry the packaged jar runs. Used
 * when {@code -Pcontainers} sets {@code distillery.test.cluster=containers}; needs a Docker engine.
 */
final class ContainersCluster implements SharedCluster.Backend {

  /** The registry image matching deploy/schema-registry's Apicurio version. */
  static final String REGISTRY_IMAGE = "quay.io/apicurio/apicurio-registry-mem:2.4.2.Final";

  private final KafkaContainer kafka;
  private final GenericContainer<?> registry;

  private ContainersCluster(KafkaContainer kafka, GenericContainer<?> registry) {
    this.kafka = kafka;
    this.registry = registry;
  }

  /**
   * Whether a Docker engine answers; Testcontainers probes the local socket or DOCKER_HOST only.
   */
  static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @SuppressWarnings("resource") // closed by close()
  static ContainersCluster start() throws Exception {
    var kafka =
        new KafkaContainer(DockerImageName.parse("apache/kafka:" + AppInfoParser.getVersion()));
    var registry =
        new GenericContainer<>(DockerImageName.parse(REGISTRY_IMAGE))
            .withExposedPorts(8080)
            .withEnv("REGISTRY_CCOMPAT_USE_CANONICAL_HASH", "false")
            .waitingFor(
                Wait.forHttp("/apis/ccompat/v7/subjects")
                    .forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(3)));
    kafka.start();
    try {
      registry.start();
      var cluster = new ContainersCluster(kafka, registry);
      SchemaRegistryProcess.requireBackwardCompatibility(
          HttpClient.newHttpClient(), cluster.registryUrl());
      return cluster;
    } catch (Exception | Error e) {
      registry.stop();
      kafka.stop();
      throw e;
    }
  }

  @Override
  public String bootstrapServers() {
    return kafka.getBootstrapServers().replace("PLAINTEXT://", "");
  }

  @Override
  public String registryUrl() {
    return "http://" + registry.getHost() + ":" + registry.getMappedPort(8080);
  }

  @Override
  public void close() {
    registry.stop();
    kafka.stop();
  }
}
