package io.distillery.labeler.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillery.labeler.openai.Completion.TokenLogprob;
import io.distillery.labeler.openai.Retriable.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small pieces of the OpenAI teacher, each on its own. */
class ResiliencePartsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void shouldDecideRetriableOnceWalkingTheCauseChain() {
    assertThat(Retriable.verdict(new UncheckedIOException(new SocketTimeoutException("timeout"))))
        .isEqualTo(Verdict.RETRY);
    assertThat(Retriable.verdict(status(429))).isEqualTo(Verdict.RETRY);
    assertThat(Retriable.verdict(status(502))).isEqualTo(Verdict.RETRY);
    assertThat(Retriable.verdict(status(401))).isEqualTo(Verdict.WAIT);
    assertThat(Retriable.verdict(status(422))).isEqualTo(Verdict.REJECT);
    assertThat(Retriable.verdict(status(402)))
        .as("out of credit: texts wait")
        .isEqualTo(Verdict.WAIT);
    assertThat(
            Retriable.verdict(
                new ApiStatusException(
                    400, "unsupported_parameter", "n", "n is not supported", null, null)))
        .as("a refused setting is a configuration fault, not the text's")
        .isEqualTo(Verdict.WAIT);
    assertThat(
            Retriable.verdict(
                new ApiStatusException(400, "invalid_request_error", "logprobs", "", null, null)))
        .isEqualTo(Verdict.WAIT);
    assertThat(Retriable.verdict(new IOException("reset"))).isEqualTo(Verdict.RETRY);
    assertThat(Retriable.verdict(new MalformedResponseException("no"))).isEqualTo(Verdict.CORRECT);
    assertThat(
            Retriable.verdict(
                new ApiStatusException(400, null, "response_format", "unsupported", null, null)))
        .isEqualTo(Verdict.FALLBACK);
  }

  @Test
  void shouldOpenTheCircuitAfterTheThresholdAndLetOneTrialThrough() {
    var circuit = new CircuitBreaker(3, Duration.ofSeconds(10), clock);
    circuit.onFailure();
    circuit.onFailure();
    assertThat(circuit.tryAcquire()).isTrue();
    assertThat(circuit.onFailure()).isTrue();
    assertThat(circuit.tryAcquire()).isFalse();

    clock.advance(Duration.ofSeconds(10));
    assertThat(circuit.tryAcquire()).isTrue();
    assertThat(circuit.tryAcquire()).isFalse();
    assertThat(circuit.onFailure()).isTrue();
    assertThat(circuit.tryAcquire()).isFalse();

    clock.advance(Duration.ofSeconds(10));
    assertThat(circuit.tryAcquire()).isTrue();
    circuit.onSuccess();
    assertThat(circuit.tryAcquire()).isTrue();
    assertThat(circuit.tryAcquire()).isTrue();
  }

  @Test
  void shouldHoldCallersToRequestsAndTokensPerMinute() throws Exception {
    var waits = new ArrayList<Duration>();
    var limiter =
        new RateLimiter(
            2,
            600,
            clock,
            d -> {
              waits.add(d);
              clock.advance(d);
            });

    limiter.acquire(100);
    limiter.acquire(100);
    limiter.acquire(100);
    assertThat(waits).containsExactly(Duration.ofSeconds(30));

    limiter.correct(900);
    limiter.acquire(100);
    assertThat(waits.get(1)).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void shouldComputeConfidenceFromTheTokensThatSpellTheLabel() {
    var content = "{\"label\":\"négatif\"}";
    var tokens =
        List.of(
            new TokenLogprob("{\"label\":\"", -0.7, 10),
            new TokenLogprob("n", -0.2, 1),
            new TokenLogprob("\\xc3", -0.1, 1),
            new TokenLogprob("\\xa9gatif", 0.0, 6),
            new TokenLogprob("\"}", -0.3, 2));

    assertThat(LogprobConfidence.of(content, 10, 17, tokens))
        .isCloseTo(Math.exp(-0.3), within(1e-12));
    assertThat(LogprobConfidence.of(content, 10, 17, tokens.subList(0, 3))).isNull();
    assertThat(LogprobConfidence.of(content, 10, 17, null)).isNull();
  }

  @Test
  void shouldParseAnswersStrictly() {
    var parser = new AnswerParser(List.of("yes", "no"));

    assertThat(parser.single("  {\"label\": \"yes\"} ", null).label()).isEqualTo("yes");
    assertThat(parser.single("{\"label\": \"yes\"} and more", null).problem())
        .contains("not valid JSON");
    assertThat(parser.single("\"yes\"", null).problem()).contains("not a JSON object");
    assertThat(parser.single("{\"label\": \"Yes\"}", null).problem())
        .contains("'Yes' is not one of [yes, no]");
    assertThat(parser.single(null, "I can't help with that").problem()).contains("refused");
    var fenced = "```json\n{\"label\":\"no\"}\n```";
    var parsed = parser.single(fenced, null);
    assertThat(fenced.substring(parsed.start(), parsed.end())).isEqualTo("no");

    assertThat(
            parser
                .batch(
                    "{\"answers\":[{\"id\":\"1\",\"label\":\"no\"},{\"id\":\"1\",\"label\":\"no\"}]}",
                    List.of("1", "2"))
                .problem())
        .contains("answered twice");
    assertThat(
            parser.batch("{\"answers\":[{\"id\":\"3\",\"label\":\"no\"}]}", List.of("1")).problem())
        .contains("unknown id");
    var answer = "{\"answers\":[{\"label\":\"no\",\"id\":\"2\"},{\"id\":\"1\",\"label\":\"yes\"}]}";
    var batch = parser.batch(answer, List.of("1", "2"));
    assertThat(batch.problem()).isNull();
    var no = batch.answers().get("2");
    var yes = batch.answers().get("1");
    assertThat(answer.substring(no.start(), no.end())).isEqualTo("no");
    assertThat(answer.substring(yes.start(), yes.end())).isEqualTo("yes");
  }

  @Test
  void shouldRedactPersonalDataButNotDates() {
    assertThat(PiiRedactor.redact("write to a.b+c@mail.co.uk, visit www.example.com/x!"))
        .isEqualTo("write to [EMAIL], visit [URL]!");
    assertThat(PiiRedactor.redact("@bob: call 555-123-4567 before 2024-03-01, score 3-1"))
        .isEqualTo("[HANDLE]: call [PHONE] before 2024-03-01, score 3-1");
    assertThat(PiiRedactor.redact("pi is 3.14159265")).isEqualTo("pi is 3.14159265");
  }

  @Test
  void shouldScrubKeysFromServerMessages() {
    var key = ApiKey.of(" sk-proj-abc123XYZ ");
    assertThat(key.authorization()).contains("Bearer sk-proj-abc123XYZ");
    assertThat(key.scrub("Incorrect API key provided: sk-proj-abc123XYZ."))
        .isEqualTo("Incorrect API key provided: [REDACTED].");
    assertThat(key.scrub("key sk-othe*********1234 rejected")).doesNotContain("sk-othe");
    assertThat(key.toString()).doesNotContain("abc123");
  }

  private static ApiStatusException status(int code) {
    return new ApiStatusException(code, null, null, "", null, null);
  }
}
