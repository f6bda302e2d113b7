package io.distillery.bench.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.bench.OpenAiStub;
import io.distillery.bench.TeacherFault;
import io.distillery.common.Codebook;
import io.distillery.common.DeadLetters;
import io.distillery.common.EmbeddedKafka;
import io.distillery.common.RegistrySerdes;
import io.distillery.common.TopicAdmin;
import io.distillery.common.Topics;
import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.QualityReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The system-wide chaos run behind {@code ./distillery chaos}: the four roles each in its own
 * process (the packaged app with one {@code DISTILLERY_ROLES} each, as the Kubernetes manifests
 * deploy them) on one broker and one registry, the labeler against an OpenAI stub that fails a
 * share of its requests, a producer of texts and poison and a reviewer answering requests. It
 * SIGKILLs a role at random moments, restarts a role that exits on its own as an orchestrator
 * would, restarts the broker once and the registry once, waits until everything is accounted for
 * (or its patience ends), and then settles, from the topics, what was lost and what duplicated
 * ({@link ChaosLedger}).
 *
 * <p>Its last line: {@code chaos: K kills, B broker restarts, R registry restarts; lost 0,
 * duplicated 0, poison dead-lettered P/P, verdicts counted V/V; recovery p50 X s, max Y s}, where
 * recovery is the time from a SIGKILL until the restarted role answers ready.
 */
public final class ChaosRun {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PARTITIONS = 3;
  private static final String PREFIX = "chaos";
  private static final List<String> ROLES = List.of("labeler", "auditor", "trainer", "classifier");
  private static final String MARKER = ".chaos-run";
  private static final Duration READY = Duration.ofMinutes(4);

  private final ChaosSettings settings;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, ChildProcess> roles = new LinkedHashMap<>();
  private final Map<String, Integer> rolePorts = new LinkedHashMap<>();
  private final List<Double> recoveries = new ArrayList<>();
  private int selfExits;
  private Path appDir;
  private int kills;
  private int brokerRestarts;
  private int registryRestarts;

  /** What a run found. */
  public record Result(
      ChaosLedger.Outcome outcome,
      int kills,
      int brokerRestarts,
      int registryRestarts,
      int selfExits,
      List<Double> recoverySeconds,
      String line) {}

  private ChaosRun(ChaosSettings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) throws Exception {
    var root = Path.of(System.getProperty("distillery.home", ".")).toAbsolutePath().normalize();
    ChaosSettings settings;
    try {
      settings = ChaosSettings.parse(args, root);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    var result = run(settings);
    result.outcome().problems().forEach(p -> System.out.println("chaos: problem: " + p));
    System.out.println(result.line());
    System.exit(result.outcome().ok() ? 0 : 1);
  }

  // Held, or the logging framework forgets the levels set on them.
  private static final List<java.util.logging.Logger> QUIET = new ArrayList<>();

  /** The harness's own Kafka and registry clients log at WARNING: their INFO is every config. */
  private static void quietClients() {
    for (var name : List.of("org.apache.kafka", "io.apicurio")) {
      var logger = java.util.logging.Logger.getLogger(name);
      logger.setLevel(java.util.logging.Level.WARNING);
      QUIET.add(logger);
    }
  }

  /** Runs the chaos run; the processes it started are stopped when it returns. */
  public static Result run(ChaosSettings settings) throws Exception {
    quietClients();
    return new ChaosRun(settings).execute();
  }

  private Result execute() throws Exception {
    var work = prepare(settings.workDir());
    var logs = work.resolve("logs");
    var samples = SampleTexts.read(settings.sampleStream());
    var codebook = Codebook.load(settings.codebook());
    var random = new Random(settings.seed());
    var ledger = new ChaosLedger();
    int kafkaPort = EmbeddedKafka.freePort();
    int registryPort = EmbeddedKafka.freePort();
    var bootstrap = "127.0.0.1:" + kafkaPort;
    var registryUrl = "http://127.0.0.1:" + registryPort;
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Copies of the packaged app and registry: a rebuild during the run must not pull them away.
    appDir = copy(settings.appDir(), work.resolve("dist/app"));
    var registryJar =
        copy(settings.registryJar().getParent(), work.resolve("dist/registry"))
            .resolve(settings.registryJar().getFileName());
    var appLib = appDir.resolve("lib");
    var broker =
        new ChildProcess(
            "kafka",
            List.of(
                java,
                "-Xmx512m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp",
                appLib.resolve("boot") + "/*:" + appLib.resolve("main") + "/*",
                "io.distillery.common.EmbeddedKafka",
                work.resolve("kafka").toString(),
                Integer.toString(kafkaPort)),
            Map.of(),
            logs,
            process -> logHolds(process.log(), "KAFKA READY"));
    var registry =
        new ChildProcess(
            "registry",
            List.of(
                java,
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
    var stub =
        new OpenAiStub(
                codebook.labelNames(),
                Duration.ofMillis(50),
                samples::llmLabel,
                TeacherFault.randomly(settings.teacherFaultShare(), settings.seed()))
            .start();
    var threads = new ArrayList<Thread>();
    ChaosReviewer reviewer = null;
    try {
      say("starting the broker and the registry in " + work);
      broker.start();
      registry.start();
      broker.awaitReady(Duration.ofSeconds(90));
      registry.awaitReady(Duration.ofSeconds(90));
      var topics = Topics.create(PREFIX, RegistrySerdes.of(RegistrySerdes.APICURIO, registryUrl));
      TopicAdmin.ensureTopics(
          bootstrap, topics.newTopics(PARTITIONS, (short) 1), Duration.ofSeconds(60));
      for (var role : ROLES) {
        int port = EmbeddedKafka.freePort();
        rolePorts.put(role, port);
        roles.put(role, role(role, port, java, bootstrap, registryUrl, stub.baseUrl(), work));
      }
      say("starting the four roles, each in its own process");
      for (var role : roles.values()) {
        role.start();
      }
      for (var role : roles.values()) {
        role.awaitReady(READY);
      }

      reviewer = new ChaosReviewer(bootstrap, topics, PARTITIONS, samples, ledger, codebook.task());
      var producer = new ChaosProducer(bootstrap, topics, PARTITIONS, samples, settings, ledger);
      threads.add(start("chaos-reviewer", reviewer));
      threads.add(start("chaos-producer", producer));
      say(
          "streaming "
              + settings.texts()
              + " texts at "
              + settings.textsPerSecond()
              + "/s; "
              + settings.kills()
              + " kills to come");

      var soakLines = new ArrayList<String>();
      if (settings.soaking()) {
        soakLines.addAll(soak(producer, broker, registry, bootstrap, work));
      } else {
        chaos(random, ledger, broker, registry);
      }
      while (!producer.done()) {
        restartSelfExited();
        Thread.sleep(1_000);
      }
      say("all texts sent; waiting for everything to be accounted for");
      var outcome = settle(topics, ledger, reviewer, bootstrap);
      reviewer.stop();
      for (var fault : TeacherFault.values()) {
        say(
            "teacher requests "
                + fault.name().toLowerCase(Locale.ROOT)
                + ": "
                + stub.served(fault));
      }
      say(
          "texts acknowledged "
              + ledger.good()
              + ", sends that failed "
              + producer.failedSends()
              + ", texts sent to the teacher "
              + outcome.teacherIds()
              + ", review requests "
              + reviewer.requests()
              + ", roles that exited on their own "
              + selfExits);
      String line;
      if (settings.soaking()) {
        soakLines.forEach(ChaosRun::say);
        line =
            String.format(
                Locale.ROOT,
                "soak: %d min at %s texts/s; lost %d, duplicated %d; %s",
                settings.soak().toMinutes(),
                format(settings.textsPerSecond()),
                outcome.lost(),
                outcome.duplicated(),
                errorsInLogs(work.resolve("logs")));
      } else {
        line =
            String.format(
                Locale.ROOT,
                "chaos: %d kills, %d broker restarts, %d registry restarts; lost %d, duplicated %d,"
                    + " poison dead-lettered %d/%d, verdicts counted %d/%d; recovery p50 %s s, max"
                    + " %s s",
                kills,
                brokerRestarts,
                registryRestarts,
                outcome.lost(),
                outcome.duplicated(),
                outcome.poisonDeadLettered(),
                outcome.poisonSent(),
                outcome.verdictsCounted(),
                outcome.verdictsSent(),
                format(percentile(recoveries, 0.5)),
                format(recoveries.stream().mapToDouble(d -> d).max().orElse(Double.NaN)));
      }
      return new Result(
          outcome,
          kills,
          brokerRestarts,
          registryRestarts,
          selfExits,
          List.copyOf(recoveries),
          line);
    } finally {
      if (reviewer != null) {
        reviewer.stop();
      }
      for (var thread : threads) {
        // Stopped threads end at their next poll; an interrupt is only for one stuck beyond that
        // (an interrupted Kafka client's close logs an InterruptException).
        thread.join(5_000);
        if (thread.isAlive()) {
          thread.interrupt();
          thread.join(10_000);
        }
      }
      for (var role : roles.values()) {
        role.stop(Duration.ofSeconds(60));
      }
      registry.stop(Duration.ofSeconds(30));
      broker.stop(Duration.ofSeconds(60));
      stub.close();
    }
  }

  /** The kills, the broker's restart and the registry's, spread over the stream. */
  private void chaos(Random random, ChaosLedger ledger, ChildProcess broker, ChildProcess registry)
      throws Exception {
    var events = schedule(random);
    // The events spread over the time the producer streams, each at a random moment of its slot.
    double slot = settings.texts() / settings.textsPerSecond() / (events.size() + 1);
    long streamStart = System.nanoTime();
    for (int e = 0; e < events.size(); e++) {
      var event = events.get(e);
      double at = (e + 0.5 + random.nextDouble()) * slot;
      long wait = streamStart + (long) (at * 1e9) - System.nanoTime();
      Thread.sleep(Math.max(1_000 + random.nextInt(2_000), wait / 1_000_000));
      restartSelfExited();
      switch (event) {
        case "broker" -> {
          long t0 = System.nanoTime();
          broker.stop(Duration.ofSeconds(60));
          broker.start();
          broker.awaitReady(Duration.ofSeconds(120));
          awaitRolesReady();
          brokerRestarts++;
          say("broker restarted; every role ready again after " + seconds(t0) + " s");
        }
        case "registry" -> {
          long t0 = System.nanoTime();
          registry.stop(Duration.ofSeconds(30));
          registry.start();
          registry.awaitReady(Duration.ofSeconds(120));
          registryRestarts++;
          say("registry restarted in " + seconds(t0) + " s");
        }
        default -> {
          var role = roles.get(event);
          long t0 = System.nanoTime();
          role.kill();
          role.start();
          role.awaitReady(READY);
          double took = seconds(t0);
          recoveries.add(took);
          kills++;
          say(
              "kill "
                  + kills
                  + "/"
                  + settings.kills()
                  + ": "
                  + event
                  + " SIGKILLed, ready again in "
                  + took
                  + " s ("
                  + ledger.good()
                  + " texts sent so far)");
        }
      }
    }
  }

  /**
   * Polls the topics until the ledger balances and the reviewer has seen no new request for a
   * while, or the patience ends; gives the last account either way.
   */
  private ChaosLedger.Outcome settle(
      Topics topics, ChaosLedger ledger, ChaosReviewer reviewer, String bootstrap)
      throws InterruptedException {
    var deadline = System.nanoTime() + settings.quietTimeout().toNanos();
    var verdictTopics =
        List.of(
            topics.reviewVerdicts().name(), PREFIX + "-auditor-auditor-verdicts-by-id-repartition");
    ChaosLedger.Outcome outcome;
    while (true) {
      restartSelfExited();
      outcome =
          ledger.settle(
              observe(topics, bootstrap),
              topics.raw().name(),
              topics.forTeacher().name(),
              verdictTopics);
      boolean quiet = reviewer.sinceLastRequest().toSeconds() >= 20;
      if ((outcome.ok() && quiet) || System.nanoTime() > deadline) {
        return outcome;
      }
      Thread.sleep(5_000);
    }
  }

  private ChaosLedger.Observed observe(Topics topics, String bootstrap) {
    var letters =
        TopicSnapshot.read(bootstrap, topics.dlq().name()).stream()
            .map(
                r ->
                    new ChaosLedger.DeadLetter(
                        TopicSnapshot.text(r.key()),
                        TopicSnapshot.header(r.headers(), DeadLetters.SOURCE_TOPIC),
                        TopicSnapshot.header(r.headers(), DeadLetters.REASON)))
            .toList();
    var reportReader = topics.qualityReports().valueSerde().deserializer();
    Long reviewed = null;
    for (var record : TopicSnapshot.read(bootstrap, topics.qualityReports().name())) {
      QualityReport report =
          reportReader.deserialize(topics.qualityReports().name(), record.value());
      if (report != null) {
        reviewed = report.getReviewed();
      }
    }
    var modelReader = topics.models().valueSerde().deserializer();
    Long champion = null;
    int repeated = 0;
    var seen = new HashSet<String>();
    for (var record : TopicSnapshot.read(bootstrap, topics.models().name())) {
      ModelVersion model = modelReader.deserialize(topics.models().name(), record.value());
      if (model == null) {
        continue;
      }
      // The trainer re-publishes its champion after each rejected challenger ("champion stays"),
      // with a new reason each time; a record that repeats version, status and reason is a
      // publication done twice.
      if (!seen.add(model.getVersion() + "|" + model.getStatus() + "|" + model.getStatusReason())) {
        repeated++;
      }
      if (model.getStatus() == ModelStatus.PROMOTED) {
        champion = model.getVersion();
      }
    }
    return new ChaosLedger.Observed(
        TopicSnapshot.keys(TopicSnapshot.read(bootstrap, topics.scored().name())),
        TopicSnapshot.keys(TopicSnapshot.read(bootstrap, topics.forTeacher().name())),
        TopicSnapshot.keys(TopicSnapshot.read(bootstrap, topics.labeled().name())),
        letters,
        reviewed,
        champion,
        repeated,
        classifierVersion());
  }

  /** The model version the classifier scores with, or null. */
  private Long classifierVersion() {
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

  /**
   * The kills, a shuffled round of the four roles at a time so each is killed as often as the
   * others, with the broker's restart after the first third and the registry's after the second.
   */
  private List<String> schedule(Random random) {
    var events = new ArrayList<String>();
    while (events.size() < settings.kills()) {
      var round = new ArrayList<>(ROLES);
      Collections.shuffle(round, random);
      events.addAll(round.subList(0, Math.min(round.size(), settings.kills() - events.size())));
    }
    events.add(settings.kills() / 3, "broker");
    events.add(Math.min(events.size(), 2 * settings.kills() / 3 + 1), "registry");
    return events;
  }

  /** Restarts, as an orchestrator would, a role that exited without being killed. */
  private void restartSelfExited() throws InterruptedException {
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

  private void awaitRolesReady() throws InterruptedException {
    for (var role : roles.values()) {
      role.awaitReady(READY);
    }
  }

  private ChildProcess role(
      String role,
      int port,
      String java,
      String bootstrap,
      String registryUrl,
      String teacherUrl,
      Path work)
      throws IOException {
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
    env.put("DISTILLERY_TEACHER_KIND", "openai");
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
            java,
            "-Xmx640m",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
            "-jar",
            appDir.resolve("quarkus-run.jar").toString()),
        env,
        work.resolve("logs"),
        process -> status("http://127.0.0.1:" + port + "/q/health/ready") == 200);
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
            for (var path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
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

  private static Thread start(String name, Runnable body) {
    var thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static double seconds(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
  }

  static double percentile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    var sorted = values.stream().sorted().toList();
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }

  /**
   * The soak: samples, once a minute while the producer streams, each process's resident memory and
   * every consumer group's lag into {@code soak.tsv}; gives the summary lines.
   */
  private List<String> soak(
      ChaosProducer producer,
      ChildProcess broker,
      ChildProcess registry,
      String bootstrap,
      Path work)
      throws Exception {
    var processes = new ArrayList<ChildProcess>(roles.values());
    processes.add(broker);
    processes.add(registry);
    var tsv = work.resolve("soak.tsv");
    Files.writeString(tsv, "minute\tgauge\tvalue\n");
    var firstMiB = new LinkedHashMap<String, Long>();
    var lastMiB = new LinkedHashMap<String, Long>();
    var maxLag = new java.util.TreeMap<String, Long>();
    var lastLag = new java.util.TreeMap<String, Long>();
    long start = System.nanoTime();
    for (int minute = 1; !producer.done(); minute++) {
      long due = start + Duration.ofMinutes(minute).toNanos();
      while (System.nanoTime() < due && !producer.done()) {
        restartSelfExited();
        Thread.sleep(1_000);
      }
      var rows = new StringBuilder();
      for (var process : processes) {
        long mib = Gauges.residentMiB(process.pid());
        firstMiB.putIfAbsent(process.name(), mib);
        lastMiB.put(process.name(), mib);
        rows.append(minute).append("\tresident_mib:").append(process.name()).append('\t');
        rows.append(mib).append('\n');
      }
      for (var entry : Gauges.lag(bootstrap).entrySet()) {
        maxLag.merge(entry.getKey(), entry.getValue(), Math::max);
        lastLag.put(entry.getKey(), entry.getValue());
        rows.append(minute).append("\tlag:").append(entry.getKey()).append('\t');
        rows.append(entry.getValue()).append('\n');
      }
      Files.writeString(tsv, rows, java.nio.file.StandardOpenOption.APPEND);
      say("soak minute " + minute + ": resident MiB " + lastMiB + ", lag " + lastLag);
    }
    var out = new ArrayList<String>();
    var memory = new StringBuilder("resident MiB, first minute → last:");
    firstMiB.forEach(
        (name, first) ->
            memory
                .append(' ')
                .append(name)
                .append(' ')
                .append(first)
                .append(" → ")
                .append(lastMiB.get(name))
                .append(';'));
    out.add(memory.toString());
    out.add("consumer group lag, largest sample: " + maxLag + "; last sample: " + lastLag);
    out.add("samples in " + tsv);
    return out;
  }

  /** How many lines at level ERROR the logs of this run hold. */
  private static String errorsInLogs(Path logs) throws IOException {
    long errors = 0;
    try (var files = Files.list(logs)) {
      for (var log : files.toList()) {
        try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
          errors += lines.filter(l -> l.contains(" ERROR ")).count();
        }
      }
    }
    return errors + " ERROR lines in the logs";
  }

  private static String format(double seconds) {
    return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.1f", seconds);
  }

  private static void say(String line) {
    System.err.println("chaos: " + line);
  }
}
