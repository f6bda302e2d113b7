package io.distillery.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

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
   * Reads {@code --kills N --texts N --rate R --seed S --out DIR}; what is not given keeps the
   * default.
   */
  public static ChaosSettings parse(String[] args, Path root) {
    int kills = DEFAULT_KILLS;
    int texts = DEFAULT_TEXTS;
    double rate = 6;
    long seed = 20261202L;
    Path out = root.resolve("target/chaos");
    Duration soak = Duration.ZERO;
    for (int i = 0; i < args.length; i++) {
      var flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        throw new IllegalArgumentException(usage());
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value\n" + usage());
      }
      var value = args[++i];
      try {
        switch (flag.toLowerCase(Locale.ROOT)) {
          case "--kills" -> kills = Integer.parseInt(value);
          case "--texts" -> texts = Integer.parseInt(value);
          case "--rate" -> rate = Double.parseDouble(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--out" -> out = Path.of(value);
          case "--soak" -> soak = Duration.ofMinutes(Long.parseLong(value));
          default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + usage());
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + ": not a number: " + value);
      }
    }
    if (!soak.isZero()) {
      // A soak streams at the rate for its whole length, and nothing is meant to fail.
      texts = (int) Math.ceil(rate * soak.toSeconds());
      return new ChaosSettings(0, texts, rate, 0, 0, seed, soak, Duration.ofMinutes(6), out, root);
    }
    return new ChaosSettings(
        kills, texts, rate, 0.02, 0.2, seed, Duration.ZERO, Duration.ofMinutes(6), out, root);
  }

  static String usage() {
    return """
        usage: ./distillery chaos [--kills N] [--texts N] [--rate TEXTS_PER_S] [--seed S] [--out DIR]
               ./distillery chaos --soak MINUTES [--rate TEXTS_PER_S] [--out DIR]
          Runs each role as its own process on one broker and registry, the labeler against an
          OpenAI stub that fails a fifth of its requests, a producer streaming texts and poison and
          a reviewer answering requests; SIGKILLs a random role N times (default 20), restarts the
          broker and the registry once, then checks from the topics that nothing was lost or
          duplicated. Defaults: 20 kills, 3000 texts at 6/s, out target/chaos.
          --soak: no kill, poison or fault; the same traffic for MINUTES, with each process's
          resident memory and every consumer group's lag sampled each minute (soak.tsv).""";
  }
}
