package io.distillery.labeler.openai;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A client-side limit of requests and tokens per minute (0 turns a limit off), so a fleet of
 * threads stays under the server's quota instead of collecting 429s. Two token buckets that refill
 * continuously; a caller reserves what it needs and sleeps, on its own thread, until the
 * reservation is covered. Tokens are estimated before a call and corrected with the usage the
 * server reports, so an underestimate delays later callers.
 *
 * <p>Why not Resilience4j's or Failsafe's rate limiter (both weighed for issue 16): both count
 * permits taken before a call and have no way to charge a call afterwards for what it really used,
 * and the tokens an LLM call uses are known only from the usage in its answer; Resilience4j also
 * refills per period, not continuously. A token-per-minute quota needs exactly that correction, and
 * it takes the 60 lines below. They run on an injected clock and sleeper, so the tests check every
 * wait exactly, without sleeping.
 */
final class RateLimiter {

  private static final double NANOS_PER_MINUTE = 60e9;

  private final Bucket requests;
  private final Bucket tokens;
  private final Clock clock;
  private final Sleeper sleeper;

  RateLimiter(int requestsPerMinute, int tokensPerMinute, Clock clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.requests = requestsPerMinute > 0 ? new Bucket(requestsPerMinute, clock.instant()) : null;
    this.tokens = tokensPerMinute > 0 ? new Bucket(tokensPerMinute, clock.instant()) : null;
  }

  /** Blocks until one request with {@code estimatedTokens} may go out. */
  void acquire(long estimatedTokens) throws InterruptedException {
    long waitNanos;
    synchronized (this) {
      var now = clock.instant();
      waitNanos =
          Math.max(
              requests == null ? 0 : requests.reserve(1, now),
              tokens == null ? 0 : tokens.reserve(estimatedTokens, now));
    }
    if (waitNanos > 0) {
      sleeper.sleep(Duration.ofNanos(waitNanos));
    }
  }

  /** The call used {@code delta} more tokens than estimated (fewer when negative). */
  synchronized void correct(long delta) {
    if (tokens != null && delta != 0) {
      tokens.reserve(delta, clock.instant());
    }
  }

  /** Capacity per minute, refilled continuously; the balance goes negative for reservations. */
  private static final class Bucket {
    private final double perMinute;
    private double available;
    private Instant refilledAt;

    Bucket(double perMinute, Instant now) {
      this.perMinute = perMinute;
      this.available = perMinute;
      this.refilledAt = now;
    }

    /** Takes {@code amount} and returns how long to wait until the balance is back to zero. */
    long reserve(double amount, Instant now) {
      long elapsed = Math.max(0, Duration.between(refilledAt, now).toNanos());
      available = Math.min(perMinute, available + elapsed * perMinute / NANOS_PER_MINUTE);
      refilledAt = now;
      available = Math.min(perMinute, available - amount);
      return available >= 0 ? 0 : (long) Math.ceil(-available * NANOS_PER_MINUTE / perMinute);
    }
  }
}
