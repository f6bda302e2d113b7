package io.distillery.labeler.openai;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops calling a server that keeps failing. After {@code threshold} consecutive failed calls the
 * circuit opens and refuses every call for {@code openFor}; then one trial call goes through (the
 * others are still refused): its success closes the circuit, its failure opens it again. A
 * threshold of 0 or less turns the breaker off. Every permitted call must be followed by {@link
 * #onSuccess()} or {@link #onFailure()}.
 *
 * <p>Why not a library's breaker (Failsafe's and Resilience4j's were weighed for issue 16): what
 * counts as a failure here is decided per call by {@link Retriable} after the exchange (a rejected
 * response format or an unusable answer is a healthy server), the state is read by the caller to
 * say until when the teacher is unavailable, and the tests drive it on an injected clock. Both
 * libraries can be bent to the first two; Failsafe keeps its own time, and this whole policy is 30
 * lines.
 */
final class CircuitBreaker {

  private final int threshold;
  private final Duration openFor;
  private final Clock clock;

  private int consecutiveFailures;
  private Instant openUntil;
  private boolean trialInFlight;

  CircuitBreaker(int threshold, Duration openFor, Clock clock) {
    this.threshold = threshold;
    this.openFor = openFor;
    this.clock = clock;
  }

  /** Whether a call may go out now; when the open period is over, the first caller gets a trial. */
  synchronized boolean tryAcquire() {
    if (openUntil == null) {
      return true;
    }
    if (trialInFlight || clock.instant().isBefore(openUntil)) {
      return false;
    }
    trialInFlight = true;
    return true;
  }

  /** When an open circuit lets the next trial call through; null when closed. */
  synchronized Instant openUntil() {
    return openUntil;
  }

  /** The server answered: the circuit closes. */
  synchronized void onSuccess() {
    consecutiveFailures = 0;
    openUntil = null;
    trialInFlight = false;
  }

  /**
   * The call failed.
   *
   * @return whether this failure opened the circuit
   */
  synchronized boolean onFailure() {
    if (threshold <= 0) {
      return false;
    }
    consecutiveFailures++;
    boolean trialFailed = trialInFlight;
    trialInFlight = false;
    if (trialFailed || (openUntil == null && consecutiveFailures >= threshold)) {
      openUntil = clock.instant().plus(openFor);
      return true;
    }
    return false;
  }
}
