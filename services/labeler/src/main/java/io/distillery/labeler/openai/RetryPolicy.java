package io.distillery.labeler.openai;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before attempt {@code n + 1}: exponential backoff from {@code initial}, doubled
 * per attempt and capped at {@code max}, with "equal jitter" (a uniform draw between half and all
 * of it, so threads that failed together do not come back together and no wait is zero). A server's
 * {@code Retry-After} (seconds or an HTTP date) or {@code retry-after-ms} wins when it is longer,
 * but one beyond {@link #LONGEST_RETRY_AFTER} is not waited out on the calling thread.
 *
 * <p>Kept by hand rather than Failsafe's or Resilience4j's retry (weighed for issue 16): the parts
 * that matter are the OpenAI headers ({@code retry-after-ms}, {@code Retry-After} in seconds or as
 * an HTTP date) and the rule that a wait beyond two minutes ends the call so the batch waits
 * outside it, which a library takes as callbacks over the same code; the backoff itself is ten
 * lines. The loop that applies it, with the breaker and the fallbacks, is {@link ResilientChat}.
 */
final class RetryPolicy {

  /** A longer Retry-After ends the attempts: the batch waits outside the call instead. */
  static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(2);

  private final int maxAttempts;
  private final Duration initial;
  private final Duration max;
  private final Clock clock;
  private final DoubleSupplier random;

  /**
   * @param random uniform draws in [0, 1)
   */
  RetryPolicy(int maxAttempts, Duration initial, Duration max, Clock clock, DoubleSupplier random) {
    this.maxAttempts = Math.max(1, maxAttempts);
    this.initial = initial;
    this.max = max;
    this.clock = clock;
    this.random = random;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  /** Whether another attempt may follow {@code attemptsMade}. */
  boolean mayRetry(int attemptsMade) {
    return attemptsMade < maxAttempts;
  }

  /** The wait after failed attempt {@code attempt} (1-based), before any Retry-After. */
  Duration backoff(int attempt) {
    long initialNanos = Math.max(0, initial.toNanos());
    long maxNanos = Math.max(0, max.toNanos());
    int doublings = Math.min(Math.max(0, attempt - 1), 62);
    long base =
        initialNanos > (maxNanos >> doublings)
            ? maxNanos
            : Math.min(maxNanos, initialNanos << doublings);
    long jittered = base / 2 + (long) (random.getAsDouble() * (base - base / 2));
    return Duration.ofNanos(jittered);
  }

  /** The wait after failed attempt {@code attempt}: the backoff, or a longer Retry-After. */
  Duration delay(int attempt, Optional<Duration> retryAfter) {
    var backoff = backoff(attempt);
    return retryAfter.filter(r -> r.compareTo(backoff) > 0).orElse(backoff);
  }

  /** The server's requested wait, from {@code retry-after-ms} or {@code Retry-After}. */
  Optional<Duration> retryAfter(String retryAfter, String retryAfterMs) {
    if (retryAfterMs != null) {
      try {
        return Optional.of(
            Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(retryAfterMs.trim())))));
      } catch (NumberFormatException ignored) {
        // Fall through to Retry-After.
      }
    }
    if (retryAfter == null || retryAfter.isBlank()) {
      return Optional.empty();
    }
    var value = retryAfter.trim();
    try {
      double seconds = Double.parseDouble(value);
      return Optional.of(Duration.ofMillis(Math.max(0, Math.round(seconds * 1000))));
    } catch (NumberFormatException notSeconds) {
      try {
        var at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        var wait = Duration.between(clock.instant(), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
