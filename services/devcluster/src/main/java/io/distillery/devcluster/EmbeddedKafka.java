package io.distillery.devcluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka broker in KRaft combined mode (broker and controller in one server), in this
 * JVM. Used by {@code ./distillery up} (through {@link #main}) and by the tests. Its log directory
 * is formatted on first start and reused afterwards, so data survives a restart.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Formats {@code dataDir} if needed and starts the broker.
   *
   * @param dataDir log directory (created if missing)
   * @param port client port on 127.0.0.1, 0 for a free one
   */
  public static EmbeddedKafka start(Path dataDir, int port) throws Exception {
    Files.createDirectories(dataDir);
    int clientPort = port == 0 ? freePort() : port;
    // The controller port cannot be 0: KRaft voters need a concrete address before the socket is
    // bound.
    int controllerPort = freePort();
    var props = new Properties();
    props.put("node.id", "1");
    props.put("process.roles", "broker,controller");
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("log.dirs", dataDir.toAbsolutePath().toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "5");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // Topics are created explicitly (DESIGN.md, Pitfalls): an auto-created topic can lose the first
    // records.
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "1");
    var config = KafkaConfig.fromProps(props, false);

    new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setClusterId(clusterId(dataDir))
        .setNodeId(1)
        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
        .setReleaseVersion(MetadataVersion.latestProduction())
        .setControllerListenerName("CONTROLLER")
        .setMetadataLogDirectory(dataDir.toAbsolutePath().toString())
        .setDirectories(List.of(dataDir.toAbsolutePath().toString()))
        .setIgnoreFormatted(true)
        .run();

    var server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    return new EmbeddedKafka(server, "127.0.0.1:" + clientPort);
  }

  /** {@code host:port} of the client listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  /** The cluster id is kept beside the data, so a restart reuses the formatted directory. */
  private static String clusterId(Path dataDir) throws IOException {
    var file = dataDir.resolve("distillery-cluster-id");
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    var id = Uuid.randomUuid().toString();
    Files.writeString(file, id);
    return id;
  }

  /** A free TCP port on the loopback interface. */
  public static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /**
   * Runs a broker until the process is stopped: {@code EmbeddedKafka <data-dir> <port>}. Prints one
   * line, {@code KAFKA READY host:port}, once clients can connect.
   */
  public static void main(String[] args) throws Exception {
    var dataDir = Path.of(args.length > 0 ? args[0] : ".distillery/kafka");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
    var kafka = start(dataDir, port);
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-shutdown"));
    System.out.println("KAFKA READY " + kafka.bootstrapServers());
    System.out.flush();
    Thread.currentThread().join();
  }
}
