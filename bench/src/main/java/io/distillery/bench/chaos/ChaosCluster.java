package io.distillery.bench.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.bench.TeacherFault;
import io.distillery.common.RoleName;
import io.distillery.devcluster.EmbeddedKafka;
import io.distillery.labeler.TeacherKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The processes of a chaos run: one broker ({@code EmbeddedKafka} in its own JVM, data on disk),
 * one registry (the packaged Apicurio, schemas on disk) and the four roles, each the packaged app
 * with one {@code DISTILLERY_ROLES}, as the Kubernetes manifests deploy them. It runs from copies
 * of the packaged app and registry in the work directory, so a rebuild during a run cannot pull
 * them away, and restarts a role that exits on its own as an orchestrator would.
 */
final class ChaosCluster implements AutoCloseable {

  static final int PARTITIONS = 3;
  static final String PREFIX = "chaos";
  static final List<String> ROLES = RoleName.ids();
  static final Duration READY = Duration.ofMinutes(4);
  private static final String MARKER = ".chaos-run";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChaosSettings settings;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Path work;
  private final Path appDir;
  private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private final String bootstrap;
  private final String registryUrl;
  private final ChildProcess broker;
  private final ChildProcess registry;
  private final Map<String, ChildProcess> roles = new LinkedHashMap<>();
  private final Map<String, Integer> rolePorts = new LinkedHashMap<>();
  private int selfExits;
  private final Thread shutdown =
      new Thread(
          () ->
              processes().stream()
                  .map(ChildProcess::pid)
                  .filter(pid -> pid > 0)
                  .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)),
          "chaos-shutdown");

  /** Empties the work directory, copies the app and the registry there; starts nothing yet. */
  ChaosCluster(ChaosSettings settings) throws IOException {
    this.settings = settings;
    this.work = prepare(settings.workDir());
    var logs = work.resolve("logs");
    int kafkaPort = EmbeddedKafka.freePort();
    int registryPort = EmbeddedKafka.freePort();
    this.bootstrap = "127.0.0.1:" + kafkaPort;
    this.registryUrl = "http://127.0.0.1:" + registryPort;
    this.appDir = copy(settings.appDir(), work.resolve("dist/app"));
    var registryJar =
        copy(settings.registryJar().getParent(), work.resolve("dist/registry"))
            .resolve(settings.registryJar().getFileName());
    this.broker =
        new ChildProcess(
            "kafka",
            List.of(
                javaBin,
                "-Xmx512m",
                // The broker is development infrastructure (services/devcluster), not in the
                // app's lib: it runs on this harness's own class path, which holds it.
                "-cp",
                System.getProperty("java.class.path"),
                "io.distillery.devcluster.EmbeddedKafka",
                work.resolve("kafka").toString(),
                Integer.toString(kafkaPort)),
            Map.of(),
            logs,
            process -> logHolds(process.log(), "KAFKA READY"));
    this.registry =
        new ChildProcess(
            "registry",
            List.of(
                javaBin,
                "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + registryPort,
                // On disk, so the schema ids on the topics outlive the registry's restart.
                "-D%prod.quarkus.datasource.jdbc.url=jdbc:h2:file:"
                    + work.resolve("registry/schemas")
                    + ";DB_CLOSE_ON_EXIT=FALSE",
                "-jar",
                registryJar.toString()),
            Map.of(),
            logs,
            process -> status(registryUrl + "/apis/ccompat/v7/subjects") == 200);
  }

  /** Starts the broker and the registry and waits until both answer. */
  void startInfrastructure() throws IOException, InterruptedException {
    // Ctrl-C (or a SIGTERM) ends the run without its finally blocks: the processes go with it.
    Runtime.getRuntime().addShutdownHook(shutdown);
    broker.start();
    registry.start();
    broker.awaitReady(Duration.ofSeconds(90));
    registry.awaitReady(Duration.ofSeconds(90));
  }

  /** Starts the four roles against the teacher at {@code teacherUrl}; waits until each is ready. */
  void startRoles(String teacherUrl) throws IOException, InterruptedException {
    for (var role : ROLES) {
      int port = EmbeddedKafka.freePort();
      rolePorts.put(role, port);
      roles.put(role, role(role, port, teacherUrl));
    }
    for (var role : roles.values()) {
      role.start();
    }
    awaitRolesReady();
  }

  Path work() {
    return work;
  }

  String bootstrap() {
    return bootstrap;
  }

  String registryUrl() {
    return registryUrl;
  }

  ChildProcess broker() {
    return broker;
  }

  ChildProcess registry() {
    return registry;
  }

  ChildProcess role(String name) {
    return roles.get(name);
  }

  /** Every process, the roles first. */
  List<ChildProcess> processes() {
    var all = new ArrayList<ChildProcess>(roles.values());
    all.add(broker);
    all.add(registry);
    return all;
  }

  /** Roles that exited on their own (and were restarted). */
  int selfExits() {
    return selfExits;
  }

  /** Restarts, as an orchestrator would, a role that exited without being killed. */
  void restartSelfExited() throws InterruptedException {
    for (var role : roles.values()) {
      if (!role.alive()) {
        selfExits++;
        say(
            role.name()
                + " exited on its own with "
                + role.exitCode()
                + " (see "
                + role.log()
                + "); restarting it");
        try {
          role.start();
        } catch (IOException e) {
          throw new IllegalStateException("cannot restart " + role.name(), e);
        }
        role.awaitReady(READY);
      }
    }
  }

  void awaitRolesReady() throws InterruptedException {
    for (var role : roles.values()) {
      role.awaitReady(READY);
    }
  }

  private ChildProcess role(String role, int port, String teacherUrl) throws IOException {
    var state = Files.createDirectories(work.resolve("state").resolve(role));
    var models = Files.createDirectories(work.resolve("models"));
    var env = new LinkedHashMap<String, String>();
    env.put("DISTILLERY_ROLES", role);
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("SCHEMA_REGISTRY_URL", registryUrl);
    env.put("DISTILLERY_TOPIC_PREFIX", PREFIX);
    env.put("DISTILLERY_KAFKA_PARTITIONS", Integer.toString(PARTITIONS));
    env.put("DISTILLERY_AUDITOR_APPLICATION_ID", PREFIX + "-auditor");
    env.put("DISTILLERY_CLASSIFIER_APPLICATION_ID", PREFIX + "-classifier");
    env.put("DISTILLERY_LABELER_GROUP_ID", PREFIX + "-labeler");
    env.put("DISTILLERY_STATE_DIR", state.toString());
    env.put("DISTILLERY_TRAINER_MODELS_DIR", models.toString());
    // The run is about what survives a crash, not about the gate: train from the first labels.
    env.put("DISTILLERY_TRAINER_REQUIRE_GATE_PASS", "false");
    env.put("DISTILLERY_AUDITOR_SAMPLE_RATE", "0.2");
    env.put("DISTILLERY_AUDITOR_DOUBLE_REVIEW_SHARE", "0");
    env.put("DISTILLERY_TEACHER_KIND", TeacherKind.OPENAI.id());
    env.put("DISTILLERY_TEACHER_BASE_URL", teacherUrl);
    env.put("DISTILLERY_TEACHER_API_KEY", "chaos-stub-key");
    env.put(
        "DISTILLERY_TEACHER_READ_TIMEOUT", "PT" + (TeacherFault.TIMEOUT_MILLIS / 1000 - 1) + "S");
    env.put("DISTILLERY_CODEBOOK", settings.codebook().toString());
    env.put("DISTILLERY_INGEST_PASSWORD", "chaos-password");
    env.put("DISTILLERY_REVIEWER_PASSWORD", "chaos-password");
    env.put("DISTILLERY_OPERATOR_PASSWORD", "chaos-password");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("OPT_OUT_TRACKING", "true");
    env.put("DJL_OFFLINE", "true");
    return new ChildProcess(
        role,
        List.of(
            javaBin,
            "-Xmx640m",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
            "-jar",
            appDir.resolve("quarkus-run.jar").toString()),
        env,
        work.resolve("logs"),
        process -> status("http://127.0.0.1:" + port + "/q/health/ready") == 200);
  }

  /** The model version the classifier scores with, or null. */
  Long classifierVersion() {
    try {
      var response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + rolePorts.get("classifier") + "/api/classifier"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      var version = JSON.readTree(response.body()).path("modelVersion");
      return version.isNumber() ? version.asLong() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdown);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // Shutting down already, or never started: the hook runs or is not needed.
    }
    for (var role : roles.values()) {
      role.stop(Duration.ofSeconds(60));
    }
    registry.stop(Duration.ofSeconds(30));
    broker.stop(Duration.ofSeconds(60));
  }

  /**
   * The work directory, emptied: only one an earlier chaos run made (it holds {@value #MARKER}) is
   * deleted; any other non-empty directory is refused.
   */
  private static Path prepare(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          if (!Files.exists(dir.resolve(MARKER))) {
            throw new IllegalArgumentException(
                dir + " is not empty and no chaos run made it; give another --out");
          }
          try (var walk = Files.walk(dir)) {
            for (var path : walk.sorted(Comparator.reverseOrder()).toList()) {
              if (!path.equals(dir)) {
                Files.delete(path);
              }
            }
          }
        }
      }
    }
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("registry"));
    Files.writeString(dir.resolve(MARKER), "made by ./distillery chaos; deleted by the next run\n");
    return dir;
  }

  /** Copies the directory tree {@code from} to {@code to}, which must not exist. */
  private static Path copy(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      throw new IllegalStateException(
          from + " is missing: build first (./distillery build, or ./mvnw install -DskipTests)");
    }
    try (var walk = Files.walk(from)) {
      for (var path : walk.toList()) {
        var target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
    return to;
  }

  private int status(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static boolean logHolds(Path log, String text) {
    try {
      return Files.exists(log) && Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  private static void say(String line) {
    System.err.println("chaos: " + line);
  }
}
