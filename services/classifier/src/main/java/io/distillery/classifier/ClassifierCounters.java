package io.distillery.classifier;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the classifier's stream tasks have done, for health and dashboards. Counts are of records
 * handed to the sinks; a transaction that aborts and is redone counts its records again, so they
 * can run slightly ahead of the committed topics. Thread-safe.
 */
public final class ClassifierCounters {

  /** Why texts go to the teacher ({@link #toTeacher()}'s keys), for metrics' tags. */
  public static final java.util.List<String> TEACHER_REASONS =
      java.util.Arrays.stream(TeacherRoute.Reason.values()).map(TeacherRoute.Reason::id).toList();

  private final LongAdder scored = new LongAdder();
  private final LongAdder uncertain = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final AtomicLong pending = new AtomicLong();
  private final LongAdder studentOnly = new LongAdder();
  private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> toTeacher =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Scored texts the teacher never saw: the labels active learning saved. */
  public long studentOnly() {
    return studentOnly.sum();
  }

  /** Texts sent to the teacher, by reason ({@code no-model}, {@code uncertain}, {@code sample}). */
  public java.util.Map<String, Long> toTeacher() {
    var out = new java.util.TreeMap<String, Long>();
    toTeacher.forEach((reason, n) -> out.put(reason, n.sum()));
    return out;
  }

  /** Texts sent to the teacher, all reasons. */
  public long toTeacherTotal() {
    return toTeacher.values().stream().mapToLong(LongAdder::sum).sum();
  }

  void addStudentOnly() {
    studentOnly.increment();
  }

  void addToTeacher(String reason) {
    toTeacher.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** Texts scored. */
  public long scored() {
    return scored.sum();
  }

  /** Scored texts flagged uncertain. */
  public long uncertain() {
    return uncertain.sum();
  }

  /** Records sent to the dead-letter topic. */
  public long deadLettered() {
    return deadLettered.sum();
  }

  /** Texts held back because no model exists yet, over the tasks this instance runs. */
  public long pending() {
    return pending.get();
  }

  void addScored(boolean wasUncertain) {
    scored.increment();
    if (wasUncertain) {
      uncertain.increment();
    }
  }

  void addDeadLettered() {
    deadLettered.increment();
  }

  void addPending(long delta) {
    pending.addAndGet(delta);
  }
}
