package io.distillery.labeler.openai;

import io.distillery.labeler.Teacher.TeacherUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One logical call with everything around it, in this order: the budget, the rate limiter, the
 * circuit breaker, the HTTP exchange, then what {@link Retriable} decides about a failure — back
 * off and retry, fall back to a simpler answer format (remembered for later calls), hand the caller
 * an unusable or rejected result, or give up with {@link TeacherUnavailableException} so the batch
 * waits. Usage and cost are counted here, once per exchange.
 */
final class ResilientChat {

  private final ChatClient client;
  private final RetryPolicy retry;
  private final CircuitBreaker circuit;
  private final RateLimiter limiter;
  private final Pricing pricing;
  private final double budgetUsd;
  private final TeacherStats stats;
  private final Sleeper sleeper;
  private final Logger log;
  private final AtomicReference<AnswerFormat> format =
      new AtomicReference<>(AnswerFormat.JSON_SCHEMA);
  private final AtomicBoolean budgetAnnounced = new AtomicBoolean();

  ResilientChat(
      ChatClient client,
      RetryPolicy retry,
      CircuitBreaker circuit,
      RateLimiter limiter,
      Pricing pricing,
      double budgetUsd,
      TeacherStats stats,
      Sleeper sleeper,
      Logger log) {
    this.log = log;
    this.client = client;
    this.retry = retry;
    this.circuit = circuit;
    this.limiter = limiter;
    this.pricing = pricing;
    this.budgetUsd = budgetUsd;
    this.stats = stats;
    this.sleeper = sleeper;
  }

  /** What became of a call that did not make the teacher unavailable. */
  sealed interface Result permits Answered, Unusable, Rejected {}

  /**
   * The server answered.
   *
   * @param costUsd what the call cost
   */
  record Answered(Completion completion, double costUsd) implements Result {}

  /**
   * A successful status without a chat completion.
   *
   * @param problem what was wrong, safe to show
   */
  record Unusable(String problem) implements Result {}

  /**
   * The server refused the request for good (a 4xx that no retry fixes).
   *
   * @param reason status and the server's scrubbed message
   */
  record Rejected(String reason) implements Result {}

  /** The format requests are built in now. */
  AnswerFormat format() {
    return format.get();
  }

  /**
   * Makes the call {@code request} builds for the current answer format.
   *
   * @param completionTokens completion tokens expected, for the rate limiter's estimate
   * @throws TeacherUnavailableException budget reached, circuit open, teacher misconfigured, or
   *     retries exhausted on a transient fault
   */
  Result call(Function<AnswerFormat, String> request, long completionTokens) {
    int failedAttempts = 0;
    while (true) {
      checkBudget();
      var used = format.get();
      var body = request.apply(used);
      long estimate = body.length() / 4 + completionTokens;
      try {
        limiter.acquire(estimate);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TeacherUnavailableException("interrupted while rate-limited", e);
      }
      if (!circuit.tryAcquire()) {
        throw new TeacherUnavailableException(
            "the teacher's circuit is open after repeated failures, until " + circuit.openUntil());
      }
      stats.call();
      Completion completion;
      try {
        completion = client.complete(body);
      } catch (IOException | ApiStatusException | MalformedResponseException e) {
        var verdict = Retriable.verdict(e);
        switch (verdict) {
          case RETRY -> {
            failed();
            backOff(++failedAttempts, e);
            continue;
          }
          case WAIT -> {
            failed();
            throw new TeacherUnavailableException(
                "the teacher server refused the call (check the key, model and base URL in"
                    + " distillery.teacher.*): "
                    + describe(e),
                e);
          }
          case FALLBACK -> {
            circuit.onSuccess();
            if (used != AnswerFormat.TEXT) {
              if (format.compareAndSet(used, used.simpler())) {
                log.warnf(
                    "The teacher server rejected response_format %s (%s); asking for %s from now on",
                    name(used), describe(e), name(used.simpler()));
              }
              continue;
            }
            stats.failedCall();
            return new Rejected(describe(e));
          }
          case CORRECT -> {
            circuit.onSuccess();
            stats.failedCall();
            return new Unusable(e.getMessage());
          }
          default -> {
            // REJECT: the server is healthy, this request will never work.
            circuit.onSuccess();
            stats.failedCall();
            return new Rejected(describe(e));
          }
        }
      }
      circuit.onSuccess();
      double cost = pricing.cost(completion.promptTokens(), completion.completionTokens());
      stats.usage(completion.promptTokens(), completion.completionTokens(), cost);
      if (completion.hasUsage()) {
        limiter.correct(completion.promptTokens() + completion.completionTokens() - estimate);
      }
      return new Answered(completion, cost);
    }
  }

  private void failed() {
    stats.failedCall();
    if (circuit.onFailure()) {
      log.errorf(
          "The teacher failed repeatedly: no calls until %s, then one trial call",
          circuit.openUntil());
    }
  }

  private void backOff(int attempt, Exception e) {
    Optional<Duration> retryAfter =
        e instanceof ApiStatusException status
            ? retry.retryAfter(status.retryAfter(), status.retryAfterMs())
            : Optional.empty();
    if (!retry.mayRetry(attempt)) {
      throw new TeacherUnavailableException(
          "the teacher failed "
              + attempt
              + (attempt == 1 ? " attempt" : " attempts in a row")
              + ", last: "
              + describe(e),
          e);
    }
    if (retryAfter.isPresent() && retryAfter.get().compareTo(RetryPolicy.LONGEST_RETRY_AFTER) > 0) {
      throw new TeacherUnavailableException(
          "the teacher asked to retry after " + retryAfter.get() + ": " + describe(e),
          e,
          retryAfter.get());
    }
    var delay = retry.delay(attempt, retryAfter);
    log.warnf(
        "Teacher call failed (%s), attempt %d of %d; retrying in %d ms",
        describe(e), attempt, retry.maxAttempts(), delay.toMillis());
    stats.retry();
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new TeacherUnavailableException("interrupted while backing off", interrupted);
    }
  }

  private void checkBudget() {
    if (budgetUsd <= 0) {
      return;
    }
    double spent = stats.costUsd();
    if (spent >= budgetUsd) {
      var message =
          String.format(
              Locale.ROOT,
              "budget of $%.2f reached ($%.4f spent): no more teacher calls until"
                  + " distillery.teacher.budget-usd is raised",
              budgetUsd,
              spent);
      if (budgetAnnounced.compareAndSet(false, true)) {
        log.error("TEACHER BUDGET REACHED: " + message);
      }
      throw new TeacherUnavailableException(message);
    }
  }

  /** A failure in words safe for logs, exceptions and dead letters. */
  private static String describe(Exception e) {
    if (e instanceof ApiStatusException) {
      return e.getMessage();
    }
    var message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String name(AnswerFormat format) {
    return format == AnswerFormat.TEXT ? "plain text" : format.name().toLowerCase(Locale.ROOT);
  }
}
