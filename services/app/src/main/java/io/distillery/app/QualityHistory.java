package io.distillery.app;

import io.distillery.auditor.agreement.Agreement;
import io.distillery.auditor.agreement.Bootstrap;
import io.distillery.auditor.agreement.Interval;
import io.distillery.auditor.mix.LabelMix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The dashboard's history, derived from the auditor's Streams stores (restored from their changelog
 * topics, so it survives a restart): the teacher against people per UTC day of review, and the
 * teacher's label mix per day with the population stability index each day had. Bounded by what the
 * stores keep: {@value Agreement#RETAINED_DAYS} days of review counts per prompt version, and the
 * label-mix monitor's reference days plus the live one of label counts.
 */
public final class QualityHistory {

  private QualityHistory() {}

  /**
   * The teacher against people on one day.
   *
   * @param day the ISO day of the first reviews
   * @param reviewed items first reviewed that day
   * @param accuracy agreed / reviewed, that day
   * @param accuracyInterval its 95 % bootstrap interval
   * @param macroF1 teacher macro-F1 against people, that day
   * @param macroF1Interval its 95 % bootstrap interval
   * @param gate the gate over every review up to the end of that day
   */
  public record AgreementDay(
      String day,
      long reviewed,
      Double accuracy,
      Interval accuracyInterval,
      Double macroF1,
      Interval macroF1Interval,
      String gate) {}

  /**
   * One prompt version's days.
   *
   * @param task the task
   * @param promptVersion the prompt version
   * @param minMacroF1 the gate's macro-F1 threshold
   * @param days oldest first
   */
  public record AgreementHistory(
      String task, String promptVersion, double minMacroF1, List<AgreementDay> days) {}

  /**
   * One source's label mix on one day.
   *
   * @param day the ISO day of labeling
   * @param counts teacher label to count that day
   * @param psi the day's index against the monitor's reference days before it; null with too few
   *     labels either side
   * @param alert whether the index is above the monitor's maximum
   */
  public record MixDay(String day, Map<String, Long> counts, Double psi, boolean alert) {}

  /**
   * One task's label mix per source, {@link LabelMix#ALL_SOURCES} for all of them.
   *
   * @param task the task
   * @param maxPsi the index above which the monitor alerts
   * @param sources source to its days, oldest first
   */
  public record MixHistory(String task, double maxPsi, Map<String, List<MixDay>> sources) {}

  static AgreementHistory agreement(Agreement a, Agreement.Gate gate, Bootstrap bootstrap) {
    var days = new ArrayList<AgreementDay>();
    // Everything reviewed after a day, subtracted from the totals, leaves the counts as of its end.
    var later = new HashMap<String, Map<String, Long>>();
    var reversed = new ArrayList<>(a.daily().entrySet());
    Collections.reverse(reversed);
    for (var entry : reversed) {
      var day = new Agreement(a.task(), a.promptVersion(), entry.getValue());
      var asOf = new Agreement(a.task(), a.promptVersion(), minus(a.confusion(), later));
      var intervals = day.intervals(bootstrap);
      days.add(
          0,
          new AgreementDay(
              entry.getKey(),
              day.reviewed(),
              day.accuracy(),
              intervals == null ? null : intervals.accuracy(),
              day.macroF1(),
              intervals == null ? null : intervals.macroF1(),
              asOf.gate(gate).status().name()));
      entry
          .getValue()
          .forEach(
              (human, row) ->
                  row.forEach(
                      (teacher, n) ->
                          later
                              .computeIfAbsent(human, k -> new HashMap<>())
                              .merge(teacher, n, Long::sum)));
    }
    return new AgreementHistory(a.task(), a.promptVersion(), gate.minMacroF1(), days);
  }

  static MixHistory mix(LabelMix mix, LabelMix.Monitor monitor) {
    var sources = new TreeMap<String, List<MixDay>>();
    var all = mix.counts().getOrDefault(LabelMix.ALL_SOURCES, Map.of());
    for (var day : all.keySet()) {
      // The mix as it stood at the end of that day: its shifts are that day's against the days
      // before.
      var upTo = new HashMap<String, Map<String, Map<String, Long>>>();
      mix.counts()
          .forEach(
              (source, days) ->
                  upTo.put(
                      source, ((SortedMap<String, Map<String, Long>>) days).headMap(day + "\0")));
      new LabelMix(mix.task(), upTo)
          .shifts(monitor)
          .forEach(
              (source, shift) -> {
                if (!shift.day().equals(day) || shift.live().isEmpty()) {
                  return;
                }
                sources
                    .computeIfAbsent(source, k -> new ArrayList<>())
                    .add(new MixDay(day, shift.live(), shift.psi(), shift.alert()));
              });
    }
    return new MixHistory(mix.task(), monitor.maxPsi(), sources);
  }

  private static Map<String, Map<String, Long>> minus(
      Map<String, Map<String, Long>> total, Map<String, Map<String, Long>> part) {
    var out = new HashMap<String, Map<String, Long>>();
    total.forEach(
        (human, row) -> {
          var cells = new HashMap<String, Long>();
          row.forEach(
              (teacher, n) ->
                  cells.put(
                      teacher, n - part.getOrDefault(human, Map.of()).getOrDefault(teacher, 0L)));
          out.put(human, cells);
        });
    return out;
  }
}
