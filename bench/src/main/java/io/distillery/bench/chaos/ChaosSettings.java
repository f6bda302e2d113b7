package io.distillery.bench.chaos;

import io.distillery.common.CommandLines;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a chaos run is sized and where it finds what it starts.
 *
 * @param kills how many times a role is killed with SIGKILL, spread over the four roles
 * @param texts how many good texts the producer streams
 * @param textsPerSecond the producer's pace
 * @param poisonShare poison records sent per good text (not Avro, empty, oversized, bad UTF-8, an
 *     unknown schema id)
 * @param teacherFaultShare the share of LLM requests that fail (429, 500, timeout, malformed JSON,
 *     a label outside the set)
 * @param seed what makes the kills, faults and routing reproducible
 * @param soak zero for the chaos run; otherwise the length of a soak instead: the same processes
 *     and traffic for that long with no kill, no poison and no teacher fault, sampling each
 *     process's resident memory and every consumer group's lag each minute
 * @param quietTimeout how long the run waits, after the last text and kill, for everything to be
 *     accounted for
 * @param workDir where state and logs go
 * @param root the repository: the packaged app, registry, codebook and sample stream are read from
 *     it
 */
public record ChaosSettings(
    int kills,
    int texts,
    double textsPerSecond,
    double poisonShare,
    double teacherFaultShare,
    long seed,
    Duration soak,
    Duration quietTimeout,
    Path workDir,
    Path root) {

  /** The defaults of {@code ./distillery chaos}. */
  public static final int DEFAULT_KILLS = 20;

  public static final int DEFAULT_TEXTS = 3_000;

  /** Whether this is a soak rather than a chaos run. */
  boolean soaking() {
    return !soak.isZero();
  }

  public ChaosSettings {
    if (kills < 0 || texts < 1 || textsPerSecond <= 0) {
      throw new IllegalArgumentException(
          "kills must be ≥ 0, texts ≥ 1 and the rate > 0, got "
              + kills
              + ", "
              + texts
              + ", "
              + textsPerSecond);
    }
  }

  /** The packaged Quarkus application every role runs. */
  Path appDir() {
    return root.resolve("services/app/target/quarkus-app");
  }

  /** The packaged schema registry. */
  Path registryJar() {
    return root.resolve("deploy/schema-registry/target/quarkus-app/quarkus-run.jar");
  }

  Path codebook() {
    return root.resolve("examples/codebook.yaml");
  }

  Path sampleStream() {
    return root.resolve("examples/sample-stream.jsonl");
  }

  /**
   * The command line of {@code ./distillery chaos}, as picocli reads it; what is not given keeps
   * the default.
   */
  @Command(
      name = "distillery chaos",
      description = {
        "Runs each role as its own process on one broker and registry, the labeler against an"
            + " OpenAI stub that fails a fifth of its requests, a producer streaming texts and"
            + " poison and a reviewer answering requests; SIGKILLs a random role N times, restarts"
            + " the broker and the registry once, then checks from the topics that nothing was"
            + " lost or duplicated.",
        "With --soak: no kill, poison or fault; the same traffic for MINUTES, with each process's"
            + " resident memory and every consumer group's lag sampled each minute (soak.tsv)."
      })
  public static final class Arguments {
    @Mixin CommandLines.Help help;

    @Option(
        names = "--kills",
        defaultValue = "" + DEFAULT_KILLS,
        description = "SIGKILLs, spread over the four roles (default: ${DEFAULT-VALUE})")
    int kills;

    @Option(
        names = "--texts",
        defaultValue = "" + DEFAULT_TEXTS,
        description = "good texts streamed (default: ${DEFAULT-VALUE})")
    int texts;

    @Option(
        names = "--rate",
        paramLabel = "TEXTS_PER_S",
        defaultValue = "6",
        description = "the producer's pace (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(
        names = "--seed",
        defaultValue = "20261202",
        description = "makes kills, faults and routing reproducible (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "where state, logs and the report go (default: target/chaos)")
    Path out;

    @Option(
        names = "--soak",
        paramLabel = "MINUTES",
        defaultValue = "0",
        description = "a soak of this many minutes instead of a chaos run")
    long soakMinutes;

    /** The settings these arguments ask for, with the repository at {@code root}. */
    public ChaosSettings settings(Path root) {
      var workDir = out == null ? root.resolve("target/chaos") : out;
      var soak = Duration.ofMinutes(soakMinutes);
      if (!soak.isZero()) {
        // A soak streams at the rate for its whole length, and nothing is meant to fail.
        int streamed = (int) Math.ceil(rate * soak.toSeconds());
        return new ChaosSettings(
            0, streamed, rate, 0, 0, seed, soak, Duration.ofMinutes(6), workDir, root);
      }
      return new ChaosSettings(
          kills, texts, rate, 0.02, 0.2, seed, Duration.ZERO, Duration.ofMinutes(6), workDir, root);
    }
  }
}
