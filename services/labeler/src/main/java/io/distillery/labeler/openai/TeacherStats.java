package io.distillery.labeler.openai;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of an {@link OpenAiTeacher}, safe to read from any thread while calls are in
 * flight; for metrics and the API ({@link #snapshot()} is one JSON-friendly value).
 */
public final class TeacherStats {

  private final LongAdder calls = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder correctiveRetries = new LongAdder();
  private final LongAdder splitBatches = new LongAdder();
  private final LongAdder failedCalls = new LongAdder();
  private final LongAdder promptTokens = new LongAdder();
  private final LongAdder completionTokens = new LongAdder();
  private final DoubleAdder costUsd = new DoubleAdder();
  private final LongAdder labeledTexts = new LongAdder();
  private final LongAdder failedTexts = new LongAdder();

  /** HTTP calls made, retries included. */
  public long calls() {
    return calls.sum();
  }

  /** Calls repeated after a transient fault (429, 5xx, timeout, connection failure). */
  public long retries() {
    return retries.sum();
  }

  /** Calls that sent an invalid answer back to be corrected. */
  public long correctiveRetries() {
    return correctiveRetries.sum();
  }

  /** Batch answers that were unusable and were split into calls per text. */
  public long splitBatches() {
    return splitBatches.sum();
  }

  /** Calls that got no usable response: transient faults and rejected requests. */
  public long failedCalls() {
    return failedCalls.sum();
  }

  /** Prompt tokens the server reported. */
  public long promptTokens() {
    return promptTokens.sum();
  }

  /** Completion tokens the server reported. */
  public long completionTokens() {
    return completionTokens.sum();
  }

  /** US dollars spent, at the configured prices. */
  public double costUsd() {
    return costUsd.sum();
  }

  /** Texts that got a label. */
  public long labeledTexts() {
    return labeledTexts.sum();
  }

  /** Texts that got none and were dead-lettered. */
  public long failedTexts() {
    return failedTexts.sum();
  }

  /** All totals at about one moment. */
  public Snapshot snapshot() {
    return new Snapshot(
        calls(),
        retries(),
        correctiveRetries(),
        splitBatches(),
        failedCalls(),
        promptTokens(),
        completionTokens(),
        costUsd(),
        labeledTexts(),
        failedTexts());
  }

  /**
   * The totals as one value.
   *
   * @param calls HTTP calls made, retries included
   * @param retries calls repeated after a transient fault
   * @param correctiveRetries calls that sent an invalid answer back to be corrected
   * @param splitBatches batch answers split into calls per text
   * @param failedCalls calls without a usable response
   * @param promptTokens prompt tokens reported
   * @param completionTokens completion tokens reported
   * @param costUsd US dollars spent
   * @param labeledTexts texts labeled
   * @param failedTexts texts dead-lettered
   */
  public record Snapshot(
      long calls,
      long retries,
      long correctiveRetries,
      long splitBatches,
      long failedCalls,
      long promptTokens,
      long completionTokens,
      double costUsd,
      long labeledTexts,
      long failedTexts) {}

  void call() {
    calls.increment();
  }

  void retry() {
    retries.increment();
  }

  void correctiveRetry() {
    correctiveRetries.increment();
  }

  void splitBatch() {
    splitBatches.increment();
  }

  void failedCall() {
    failedCalls.increment();
  }

  void usage(long prompt, long completion, double cost) {
    promptTokens.add(prompt);
    completionTokens.add(completion);
    costUsd.add(cost);
  }

  void labeled() {
    labeledTexts.increment();
  }

  void failed() {
    failedTexts.increment();
  }
}
