package io.distillery.experiment;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a run on the terminal: one line per step, each with the time since the start, and for
 * the trainings a count and an estimate of the time left. Counts of long loops (teacher labels)
 * print every tenth of the way, so a log stays readable. Thread-safe.
 */
final class Progress {

  private final PrintStream out;
  private final long start = System.nanoTime();
  private int planned;
  private int trained;
  private long trainingNanos;
  private int lastTenth = -1;

  Progress(PrintStream out) {
    this.out = out;
  }

  /** A line. */
  synchronized void say(String format, Object... args) {
    out.printf(
        Locale.ROOT, "[experiment %s] %s%n", elapsed(), String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /** {@code done} of {@code total} so far; prints at each tenth and at the end. */
  synchronized void count(String what, int done, int total) {
    int tenth = total == 0 ? 10 : (int) (10L * done / total);
    if (tenth != lastTenth) {
      lastTenth = tenth;
      say("%s: %d/%d", what, done, total);
    }
    if (done >= total) {
      lastTenth = -1;
    }
  }

  /** How many trainings the run will do, for the estimate of the time left. */
  synchronized void plan(int trainings) {
    planned = trainings;
    say("%d student trainings planned", trainings);
  }

  /** One training done, with what it scored. */
  synchronized void trained(String what, double macroF1, long nanos) {
    trained++;
    trainingNanos += nanos;
    long left = planned > trained ? trainingNanos / trained * (planned - trained) : 0;
    say(
        "[%d/%d] %s: macro-F1 %.3f (%.1f s; about %s left)",
        trained, planned, what, macroF1, nanos / 1e9, duration(left));
  }

  /** Seconds since the start. */
  double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  private String elapsed() {
    return duration(System.nanoTime() - start);
  }

  private static String duration(long nanos) {
    long s = nanos / 1_000_000_000L;
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
