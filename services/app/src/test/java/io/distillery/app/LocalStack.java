package io.distillery.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.devcluster.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./distillery up} as a user runs it, on free ports, with its state and output under {@code
 * home}: the packaged application's integration tests start and stop it through here.
 */
public final class LocalStack {

  /** The launcher's line once everything runs and the sample stream is in. */
  static final String RUNNING = "running; Ctrl-C stops everything";

  private final Process process;
  private final Path home;
  private final Path log;
  private final int kafkaPort;
  private final int registryPort;
  private final int appPort;
  private List<ProcessHandle> children = List.of();

  private LocalStack(Process process, Path home, Path log, int kafka, int registry, int app) {
    this.process = process;
    this.home = home;
    this.log = log;
    this.kafkaPort = kafka;
    this.registryPort = registry;
    this.appPort = app;
  }

  /** Starts {@code ./distillery up} with {@code env} added, and waits until it runs. */
  public static LocalStack up(Path home, Map<String, String> env) throws Exception {
    var root = Path.of(System.getProperty("distillery.home", "../.."));
    int kafka = EmbeddedKafka.freePort();
    int registry = EmbeddedKafka.freePort();
    int app = EmbeddedKafka.freePort();
    var log = home.resolve("up.out");
    var builder =
        new ProcessBuilder(root.resolve("distillery").toString(), "up")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    var environment = builder.environment();
    environment.remove("KAFKA_BOOTSTRAP_SERVERS");
    environment.remove("SCHEMA_REGISTRY_URL");
    environment.put("DISTILLERY_HOME", home.toString());
    environment.put("DISTILLERY_KAFKA_PORT", Integer.toString(kafka));
    environment.put("DISTILLERY_REGISTRY_PORT", Integer.toString(registry));
    environment.put("DISTILLERY_HTTP_PORT", Integer.toString(app));
    environment.putAll(env);
    var stack = new LocalStack(builder.start(), home, log, kafka, registry, app);
    try {
      stack.awaitOutput(RUNNING, Duration.ofMinutes(4));
    } catch (Exception | AssertionError e) {
      stack.process.destroy();
      throw e;
    }
    stack.children = stack.process.descendants().toList();
    return stack;
  }

  /** What the launcher printed so far. */
  public String output() throws IOException {
    return Files.readString(log);
  }

  /** The processes the launcher started. */
  public List<ProcessHandle> children() {
    return children;
  }

  /** A password the launcher made for a built-in user. */
  public String password(String user) throws IOException {
    return Files.readString(home.resolve(user + "-password")).trim();
  }

  /** {@code host:port} of the broker. */
  public String bootstrapServers() {
    return "127.0.0.1:" + kafkaPort;
  }

  /** Base URL of the registry. */
  public String registryUrl() {
    return "http://127.0.0.1:" + registryPort;
  }

  /** Base URL of the app. */
  public String appUrl() {
    return "http://127.0.0.1:" + appPort;
  }

  private void awaitOutput(String line, Duration timeout) throws Exception {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains(line)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("distillery up exited early:\n" + output());
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no '" + line + "' in " + timeout + ":\n" + output());
  }

  /** Stops the launcher as Ctrl-C would (SIGTERM) and asserts that no child is left running. */
  public void stop() throws Exception {
    process.destroy();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("launcher stops on SIGTERM").isTrue();
    for (var child : children) {
      child.onExit().get(30, TimeUnit.SECONDS);
      assertThat(child.isAlive()).as("child %s", child.info().commandLine().orElse("?")).isFalse();
    }
  }
}
