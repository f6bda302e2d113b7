package io.distillery.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The soak of {@code ./distillery chaos --soak MINUTES}: the same processes and traffic with no
 * kill, no poison and no teacher fault, sampled once a minute.
 */
final class Soak {

  private Soak() {}

  /**
   * The soak: samples, once a minute while the producer streams, each process's resident memory and
   * every consumer group's lag into {@code soak.tsv}; gives the summary lines.
   */
  static List<String> run(ChaosProducer producer, ChaosCluster cluster) throws Exception {
    var processes = cluster.processes();
    var tsv = cluster.work().resolve("soak.tsv");
    Files.writeString(tsv, "minute\tgauge\tvalue\n");
    var firstMiB = new LinkedHashMap<String, Long>();
    var lastMiB = new LinkedHashMap<String, Long>();
    var maxLag = new java.util.TreeMap<String, Long>();
    var lastLag = new java.util.TreeMap<String, Long>();
    long start = System.nanoTime();
    for (int minute = 1; !producer.done(); minute++) {
      long due = start + Duration.ofMinutes(minute).toNanos();
      while (System.nanoTime() < due && !producer.done()) {
        cluster.restartSelfExited();
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
      for (var entry : Gauges.lag(cluster.bootstrap()).entrySet()) {
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
  static String errorsInLogs(Path logs) throws IOException {
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

  private static void say(String line) {
    System.err.println("chaos: " + line);
  }
}
