package io.distillery.labeler.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void shouldDoubleTheBackoffUpToTheCapWithJitterBetweenHalfAndAll() {
    var low = new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(30), clock, () -> 0.0);
    var high =
        new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(30), clock, () -> 0.999999);

    assertThat(low.backoff(1)).isEqualTo(Duration.ofMillis(250));
    assertThat(high.backoff(1)).isBetween(Duration.ofMillis(499), Duration.ofMillis(500));
    assertThat(low.backoff(3)).isEqualTo(Duration.ofMillis(1000));
    assertThat(low.backoff(60)).isEqualTo(Duration.ofSeconds(15));
    assertThat(high.backoff(60)).isBetween(Duration.ofMillis(29_999), Duration.ofSeconds(30));
  }

  @Test
  void shouldLetALongerRetryAfterWinInSecondsMillisOrAnHttpDate() {
    var policy =
        new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), clock, () -> 0.5);

    assertThat(policy.delay(1, policy.retryAfter("7", null))).isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.delay(1, policy.retryAfter(null, "1500"))).isEqualTo(Duration.ofMillis(1500));
    assertThat(policy.retryAfter("Thu, 01 Jan 2026 00:00:42 GMT", null))
        .contains(Duration.ofSeconds(42));
    assertThat(policy.delay(1, Optional.of(Duration.ofMillis(1)))).isEqualTo(Duration.ofMillis(75));
    assertThat(policy.retryAfter("soon", null)).isEmpty();
  }

  @Test
  void shouldStopAfterTheConfiguredAttempts() {
    var policy = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(1), clock, () -> 0.5);

    assertThat(policy.mayRetry(2)).isTrue();
    assertThat(policy.mayRetry(3)).isFalse();
  }
}
