package io.distillery.auditor.mix;

import io.distillery.auditor.AuditorConfig;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The teacher's label counts for one task, per source and UTC day of labeling, over the last days:
 * the raw material of the label-mix monitor. It compares the newest day's mix (live) with the mix
 * of the days before it (reference) by the population stability index, per source and over all
 * sources. Immutable; a plain JSON document in the Streams store.
 *
 * @param task the task
 * @param counts source to ISO day to label to count; days more than {@code retainedDays} before the
 *     newest are dropped when a label is added
 */
public record LabelMix(String task, Map<String, Map<String, Map<String, Long>>> counts) {

  /** The name under which every source's counts are summed. */
  public static final String ALL_SOURCES = "*";

  /**
   * Thresholds of the monitor.
   *
   * @param referenceDays days before the live one that make the reference mix
   * @param minItems neither mix is judged with fewer labels than this
   * @param maxPsi an index above this raises the alert
   */
  public record Monitor(int referenceDays, long minItems, double maxPsi) {

    /** The thresholds in {@code config}. */
    public static Monitor of(AuditorConfig config) {
      if (config.mixReferenceDays() < 1) {
        throw new IllegalArgumentException(
            "distillery.auditor.mix-reference-days must be positive, got "
                + config.mixReferenceDays());
      }
      return new Monitor(config.mixReferenceDays(), config.mixMinItems(), config.mixMaxPsi());
    }
  }

  /**
   * One source's live mix against its reference.
   *
   * @param source the source, or {@link #ALL_SOURCES}
   * @param day the live day
   * @param live label to count on the live day
   * @param reference label to count over the reference days
   * @param psi the population stability index of live against reference; null when either has fewer
   *     labels than the monitor's minimum
   * @param alert whether the index is above the monitor's maximum
   */
  public record Shift(
      String source,
      String day,
      Map<String, Long> live,
      Map<String, Long> reference,
      Double psi,
      boolean alert) {

    /** One line for a log. */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "source '%s' on %s: PSI %s, live %s against reference %s",
          source,
          day,
          psi == null ? "n/a" : String.format(Locale.ROOT, "%.3f", psi),
          live,
          reference);
    }
  }

  public LabelMix {
    var copy = new TreeMap<String, Map<String, Map<String, Long>>>();
    if (counts != null) {
      counts.forEach(
          (source, days) -> {
            var daysCopy = new TreeMap<String, Map<String, Long>>();
            days.forEach(
                (day, labels) ->
                    daysCopy.put(day, Collections.unmodifiableSortedMap(new TreeMap<>(labels))));
            copy.put(source, Collections.unmodifiableSortedMap(daysCopy));
          });
    }
    counts = Collections.unmodifiableSortedMap(copy);
  }

  /** No labels yet. */
  public static LabelMix empty() {
    return new LabelMix(null, Map.of());
  }

  /**
   * Counts one teacher label, and drops the days more than {@code retainedDays} before the newest.
   *
   * @param source where the text came from ("" when unknown)
   * @param day the UTC day it was labeled
   */
  public LabelMix add(String task, String source, LocalDate day, String label, int retainedDays) {
    var next = new HashMap<String, Map<String, Map<String, Long>>>();
    counts.forEach(
        (s, days) -> {
          var daysCopy = new HashMap<String, Map<String, Long>>();
          days.forEach((d, labels) -> daysCopy.put(d, new HashMap<>(labels)));
          next.put(s, daysCopy);
        });
    for (var s : new String[] {source, ALL_SOURCES}) {
      next.computeIfAbsent(s, k -> new HashMap<>())
          .computeIfAbsent(day.toString(), k -> new HashMap<>())
          .merge(label, 1L, Long::sum);
    }
    var newest = next.get(ALL_SOURCES).keySet().stream().max(String::compareTo).orElseThrow();
    var oldest = LocalDate.parse(newest).minusDays(retainedDays).toString();
    next.values().forEach(days -> days.keySet().removeIf(d -> d.compareTo(oldest) < 0));
    next.values().removeIf(Map::isEmpty);
    return new LabelMix(task, next);
  }

  /** The live day's shift of every source, {@link #ALL_SOURCES} first; empty with no labels. */
  public SortedMap<String, Shift> shifts(Monitor monitor) {
    var out = new TreeMap<String, Shift>();
    var all = counts.get(ALL_SOURCES);
    if (all == null || all.isEmpty()) {
      return out;
    }
    var liveDay = ((SortedMap<String, Map<String, Long>>) all).lastKey();
    var firstReference = LocalDate.parse(liveDay).minusDays(monitor.referenceDays()).toString();
    counts.forEach(
        (source, days) -> {
          var live = new TreeMap<String, Long>(days.getOrDefault(liveDay, Map.of()));
          var reference = new TreeMap<String, Long>();
          days.forEach(
              (day, labels) -> {
                if (day.compareTo(firstReference) >= 0 && day.compareTo(liveDay) < 0) {
                  labels.forEach((label, n) -> reference.merge(label, n, Long::sum));
                }
              });
          var psi =
              total(live) < Math.max(1, monitor.minItems())
                      || total(reference) < Math.max(1, monitor.minItems())
                  ? null
                  : psi(live, reference);
          out.put(
              source,
              new Shift(
                  source, liveDay, live, reference, psi, psi != null && psi > monitor.maxPsi()));
        });
    return out;
  }

  /**
   * The population stability index, sum over labels of (live share - reference share) * ln(live
   * share / reference share). A label absent from one side is given half a count there, so the
   * index stays finite; 0.1 is commonly read as a small shift, 0.2 or more as a significant one.
   */
  static double psi(Map<String, Long> live, Map<String, Long> reference) {
    var labels = new java.util.TreeSet<String>(live.keySet());
    labels.addAll(reference.keySet());
    double liveTotal = 0;
    double referenceTotal = 0;
    for (var label : labels) {
      liveTotal += smoothed(live, label);
      referenceTotal += smoothed(reference, label);
    }
    double psi = 0;
    for (var label : labels) {
      double p = smoothed(live, label) / liveTotal;
      double q = smoothed(reference, label) / referenceTotal;
      psi += (p - q) * Math.log(p / q);
    }
    return psi;
  }

  private static double smoothed(Map<String, Long> counts, String label) {
    long n = counts.getOrDefault(label, 0L);
    return n == 0 ? 0.5 : n;
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
