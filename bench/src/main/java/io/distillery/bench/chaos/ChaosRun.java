package io.distillery.bench.chaos;

import io.distillery.bench.OpenAiStub;
import io.distillery.bench.TeacherFault;
import io.distillery.common.Codebook;
import io.distillery.common.CommandLines;
import io.distillery.common.RegistrySerdes;
import io.distillery.common.TopicAdmin;
import io.distillery.common.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

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

  private final ChaosSettings settings;
  private final List<Double> recoveries = new ArrayList<>();
  private ChaosCluster cluster;
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
    var arguments =
        CommandLines.parseOrExit(new ChaosSettings.Arguments(), args, System.out, System.err);
    ChaosSettings settings;
    try {
      settings = arguments.settings(root);
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
    var samples = SampleTexts.read(settings.sampleStream());
    var codebook = Codebook.load(settings.codebook());
    var random = new Random(settings.seed());
    var ledger = new ChaosLedger();
    var stub =
        new OpenAiStub(
                codebook.labelNames(),
                Duration.ofMillis(50),
                samples::llmLabel,
                TeacherFault.randomly(settings.teacherFaultShare(), settings.seed()))
            .start();
    var threads = new ArrayList<Thread>();
    ChaosReviewer reviewer = null;
    try (var cluster = new ChaosCluster(settings)) {
      this.cluster = cluster;
      say("starting the broker and the registry in " + cluster.work());
      cluster.startInfrastructure();
      var bootstrap = cluster.bootstrap();
      var topics =
          Topics.create(
              ChaosCluster.PREFIX,
              RegistrySerdes.of(RegistrySerdes.APICURIO, cluster.registryUrl()));
      TopicAdmin.ensureTopics(
          bootstrap, topics.newTopics(ChaosCluster.PARTITIONS, (short) 1), Duration.ofSeconds(60));
      say("starting the four roles, each in its own process");
      cluster.startRoles(stub.baseUrl());

      reviewer =
          new ChaosReviewer(
              bootstrap, topics, ChaosCluster.PARTITIONS, samples, ledger, codebook.task());
      var producer =
          new ChaosProducer(bootstrap, topics, ChaosCluster.PARTITIONS, samples, settings, ledger);
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
        soakLines.addAll(Soak.run(producer, cluster));
      } else {
        chaos(random, ledger);
      }
      while (!producer.done()) {
        cluster.restartSelfExited();
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
              + cluster.selfExits());
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
                Soak.errorsInLogs(cluster.work().resolve("logs")));
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
          cluster.selfExits(),
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
      stub.close();
    }
  }

  /** The kills, the broker's restart and the registry's, spread over the stream. */
  private void chaos(Random random, ChaosLedger ledger) throws Exception {
    var broker = cluster.broker();
    var registry = cluster.registry();
    var events = schedule(random);
    // The events spread over the time the producer streams, each at a random moment of its slot.
    double slot = settings.texts() / settings.textsPerSecond() / (events.size() + 1);
    long streamStart = System.nanoTime();
    for (int e = 0; e < events.size(); e++) {
      var event = events.get(e);
      double at = (e + 0.5 + random.nextDouble()) * slot;
      long wait = streamStart + (long) (at * 1e9) - System.nanoTime();
      Thread.sleep(Math.max(1_000 + random.nextInt(2_000), wait / 1_000_000));
      cluster.restartSelfExited();
      switch (event) {
        case "broker" -> {
          long t0 = System.nanoTime();
          broker.stop(Duration.ofSeconds(60));
          broker.start();
          broker.awaitReady(Duration.ofSeconds(120));
          cluster.awaitRolesReady();
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
          var role = cluster.role(event);
          long t0 = System.nanoTime();
          role.kill();
          role.start();
          role.awaitReady(ChaosCluster.READY);
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
            topics.reviewVerdicts().name(),
            ChaosCluster.PREFIX + "-auditor-auditor-verdicts-by-id-repartition");
    ChaosLedger.Outcome outcome;
    while (true) {
      cluster.restartSelfExited();
      outcome =
          ledger.settle(
              ObservedTopics.read(topics, bootstrap, cluster.classifierVersion()),
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

  /**
   * The kills, a shuffled round of the four roles at a time so each is killed as often as the
   * others, with the broker's restart after the first third and the registry's after the second.
   */
  private List<String> schedule(Random random) {
    var events = new ArrayList<String>();
    while (events.size() < settings.kills()) {
      var round = new ArrayList<>(ChaosCluster.ROLES);
      Collections.shuffle(round, random);
      events.addAll(round.subList(0, Math.min(round.size(), settings.kills() - events.size())));
    }
    events.add(settings.kills() / 3, "broker");
    events.add(Math.min(events.size(), 2 * settings.kills() / 3 + 1), "registry");
    return events;
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

  private static String format(double seconds) {
    return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.1f", seconds);
  }

  private static void say(String line) {
    System.err.println("chaos: " + line);
  }
}
