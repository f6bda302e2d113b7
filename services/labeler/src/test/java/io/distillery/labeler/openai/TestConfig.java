package io.distillery.labeler.openai;

import io.distillery.labeler.TeacherConfig;
import io.distillery.labeler.TeacherKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Teacher settings for tests: fast backoffs, short timeouts, everything changeable. */
final class TestConfig implements TeacherConfig {

  static final String KEY = "sk-test-SECRET-123";

  String model = "gpt-4o-mini";
  String baseUrl;
  String apiKey = KEY;
  String apiKeyFile;
  double temperature = 0;
  int samples = 1;
  double samplesTemperature = 0.6;
  boolean logprobs = true;
  int requestsPerMinute;
  int tokensPerMinute;
  Duration connectTimeout = Duration.ofSeconds(2);
  Duration readTimeout = Duration.ofSeconds(2);
  int maxAttempts = 3;
  Duration initialBackoff = Duration.ofMillis(10);
  Duration maxBackoff = Duration.ofMillis(40);
  int circuitFailureThreshold = 10;
  Duration circuitOpenFor = Duration.ofSeconds(30);
  boolean redactPii;
  double budgetUsd;
  final Map<String, Price> prices = new HashMap<>();

  TestConfig(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * @param input dollars per million prompt tokens
   * @param output dollars per million completion tokens
   */
  record TestPrice(double input, double output) implements Price {}

  @Override
  public TeacherKind kind() {
    return TeacherKind.OPENAI;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public Optional<String> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  @Override
  public Optional<String> apiKeyFile() {
    return Optional.ofNullable(apiKeyFile);
  }

  @Override
  public String replayField() {
    return "llm_label";
  }

  @Override
  public Optional<String> replayFile() {
    return Optional.empty();
  }

  @Override
  public double temperature() {
    return temperature;
  }

  @Override
  public int samples() {
    return samples;
  }

  @Override
  public double samplesTemperature() {
    return samplesTemperature;
  }

  @Override
  public boolean logprobs() {
    return logprobs;
  }

  @Override
  public int batchSize() {
    return 1;
  }

  @Override
  public int maxInFlight() {
    return 1;
  }

  @Override
  public int requestsPerMinute() {
    return requestsPerMinute;
  }

  @Override
  public int tokensPerMinute() {
    return tokensPerMinute;
  }

  @Override
  public Duration connectTimeout() {
    return connectTimeout;
  }

  @Override
  public Duration readTimeout() {
    return readTimeout;
  }

  @Override
  public int maxAttempts() {
    return maxAttempts;
  }

  @Override
  public Duration initialBackoff() {
    return initialBackoff;
  }

  @Override
  public Duration maxBackoff() {
    return maxBackoff;
  }

  @Override
  public int circuitFailureThreshold() {
    return circuitFailureThreshold;
  }

  @Override
  public Duration circuitOpenFor() {
    return circuitOpenFor;
  }

  @Override
  public boolean redactPii() {
    return redactPii;
  }

  @Override
  public double budgetUsd() {
    return budgetUsd;
  }

  @Override
  public Map<String, Price> prices() {
    return prices;
  }
}
