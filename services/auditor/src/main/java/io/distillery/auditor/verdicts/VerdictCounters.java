package io.distillery.auditor.verdicts;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the auditor did with the verdicts it read, for {@code /q/metrics} and health: accepted
 * (checked and handed to the agreement; a verdict whose teacher label has not arrived yet counts
 * when it does) or dead-lettered. Counts are of records handed on inside a stream transaction; one
 * that aborts and is redone counts its records again, so they can run slightly ahead of the
 * committed topics. Thread-safe.
 */
public final class VerdictCounters {

  private final LongAdder accepted = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();

  /** Verdicts that passed every check and reached the agreement. */
  public long accepted() {
    return accepted.sum();
  }

  /** Verdicts sent to the dead-letter topic, for whatever reason their dead letter gives. */
  public long deadLettered() {
    return deadLettered.sum();
  }

  void addAccepted() {
    accepted.increment();
  }

  void addDeadLettered() {
    deadLettered.increment();
  }
}
