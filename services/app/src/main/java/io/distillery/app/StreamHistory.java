package io.distillery.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stream per minute, for the dashboard: texts arrived ({@code texts.raw}), scored ({@code
 * texts.scored}), routed to the teacher ({@code texts.for-teacher}) and labeled by it ({@code
 * texts.labeled}, with what each label cost). Pure: {@link StreamHistoryReader} feeds it from the
 * topics, so it is rebuilt after a restart. Holds at most {@code retainedMinutes} minutes, the
 * oldest dropped first.
 */
public final class StreamHistory {

  /** Which topic a record was read from. */
  public enum Kind {
    RAW,
    SCORED,
    FOR_TEACHER,
    LABELED
  }

  /**
   * One stretch of time.
   *
   * @param start epoch milliseconds of its first minute
   * @param seconds its length
   * @param rawPerSecond texts arrived per second
   * @param scoredPerSecond texts scored per second
   * @param teacherPerSecond teacher labels per second
   * @param teacherShare of the texts routed in it (to the teacher, or the student alone), the share
   *     that went to the teacher; null when none were
   * @param spentUsd dollars spent on the teacher up to its end, from the start of the history
   * @param savedUsd dollars the student saved up to its end: each text it labeled alone, at the
   *     teacher's average price per label so far
   */
  public record Point(
      long start,
      long seconds,
      double rawPerSecond,
      double scoredPerSecond,
      double teacherPerSecond,
      Double teacherShare,
      double spentUsd,
      double savedUsd) {}

  /** Counts of one minute. */
  private static final class Minute {
    long raw;
    long scored;
    long forTeacher;
    long labeled;
    double costUsd;
  }

  private static final long MINUTE_MS = 60_000;

  private final int retainedMinutes;
  private final TreeMap<Long, Minute> minutes = new TreeMap<>();

  /**
   * @param retainedMinutes the most minutes held
   */
  public StreamHistory(int retainedMinutes) {
    if (retainedMinutes < 1) {
      throw new IllegalArgumentException(
          "retainedMinutes must be positive, got " + retainedMinutes);
    }
    this.retainedMinutes = retainedMinutes;
  }

  /** Counts one record of {@code kind} written at {@code timestampMs}, costing {@code costUsd}. */
  public synchronized void add(Kind kind, long timestampMs, double costUsd) {
    long minute = Math.floorDiv(timestampMs, MINUTE_MS);
    if (minutes.size() >= retainedMinutes && minute < minutes.firstKey()) {
      return;
    }
    var counts = minutes.computeIfAbsent(minute, m -> new Minute());
    switch (kind) {
      case RAW -> counts.raw++;
      case SCORED -> counts.scored++;
      case FOR_TEACHER -> counts.forTeacher++;
      case LABELED -> {
        counts.labeled++;
        counts.costUsd += costUsd;
      }
    }
    while (minutes.size() > retainedMinutes) {
      minutes.pollFirstEntry();
    }
  }

  /** Minutes held. */
  public synchronized int size() {
    return minutes.size();
  }

  /**
   * The history from its first minute to {@code nowMs}, in at most {@code points} equal stretches
   * of whole minutes; empty before any record.
   */
  public synchronized List<Point> view(long nowMs, int points) {
    if (minutes.isEmpty()) {
      return List.of();
    }
    long first = minutes.firstKey();
    long last = Math.max(minutes.lastKey(), Math.floorDiv(nowMs, MINUTE_MS));
    long span = last - first + 1;
    long step = Math.max(1, (span + points - 1) / points);
    var out = new ArrayList<Point>();
    double spent = 0;
    double saved = 0;
    long labeled = 0;
    for (long from = first; from <= last; from += step) {
      var sum = new Minute();
      for (Map.Entry<Long, Minute> e : minutes.subMap(from, from + step).entrySet()) {
        var m = e.getValue();
        sum.raw += m.raw;
        sum.scored += m.scored;
        sum.forTeacher += m.forTeacher;
        sum.labeled += m.labeled;
        sum.costUsd += m.costUsd;
      }
      // Texts scored but not sent on to the teacher are the ones the student labeled alone.
      long studentOnly = Math.max(0, sum.scored - sum.forTeacher);
      spent += sum.costUsd;
      labeled += sum.labeled;
      saved += labeled == 0 ? 0 : studentOnly * (spent / labeled);
      long seconds = step * 60;
      long routed = studentOnly + sum.forTeacher;
      out.add(
          new Point(
              from * MINUTE_MS,
              seconds,
              (double) sum.raw / seconds,
              (double) sum.scored / seconds,
              (double) sum.labeled / seconds,
              routed == 0 ? null : (double) sum.forTeacher / routed,
              spent,
              saved));
    }
    return out;
  }
}
