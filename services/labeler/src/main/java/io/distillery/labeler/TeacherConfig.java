package io.distillery.labeler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The teacher ({@code DISTILLERY_TEACHER_...} in the environment). The conventional {@code
 * OPENAI_API_KEY} and {@code OPENAI_BASE_URL} are honoured by the application's configuration.
 */
@ConfigMapping(prefix = "distillery.teacher")
public interface TeacherConfig {

  /** Which teacher labels: {@code replay}, {@code zero-shot} or {@code openai}. */
  @WithDefault("replay")
  TeacherKind kind();

  /** The model an {@code openai} teacher asks for. */
  @WithDefault("gpt-4o-mini")
  String model();

  /** Base URL of the OpenAI-compatible API (OpenAI, Azure, vLLM, Ollama, llama.cpp server). */
  @WithDefault("https://api.openai.com/v1")
  String baseUrl();

  /** The API key; prefer {@link #apiKeyFile()} or {@code OPENAI_API_KEY}. Never logged. */
  Optional<String> apiKey();

  /** A file holding the API key (a mounted secret, say). */
  Optional<String> apiKeyFile();

  /**
   * Metadata field a {@code replay} teacher reads ({@code llm_label}, as in the shared datasets).
   */
  @WithDefault("llm_label")
  String replayField();

  /**
   * A JSONL file of recorded labels ({@code {"id": ..., "label": ...}} per line) a {@code replay}
   * teacher reads by text id; texts not in it fall back to {@link #replayField()}.
   */
  Optional<String> replayFile();

  /** Sampling temperature of a single answer. */
  @WithDefault("0")
  double temperature();

  /** Self-consistency samples per text (1 turns it off); drawn at {@link #samplesTemperature()}. */
  @WithDefault("3")
  int samples();

  /** Temperature of self-consistency samples (Pangakis et al. 2023 use > 0). */
  @WithDefault("0.6")
  double samplesTemperature();

  /** Ask for token log-probabilities (servers that do not give them are fine). */
  @WithDefault("true")
  boolean logprobs();

  /** Texts per call; answers are matched by position and id, a broken batch is split. */
  @WithDefault("1")
  int batchSize();

  /** Calls in flight at once. */
  @WithDefault("8")
  int maxInFlight();

  /** Client-side limit of requests per minute (0: none). */
  @WithDefault("0")
  int requestsPerMinute();

  /** Client-side limit of tokens per minute (0: none). */
  @WithDefault("0")
  int tokensPerMinute();

  /** Connect timeout of a call. */
  @WithDefault("PT5S")
  Duration connectTimeout();

  /** Read timeout of a call. */
  @WithDefault("PT60S")
  Duration readTimeout();

  /** Attempts per call for retriable faults (429, 5xx, timeouts, connection failures). */
  @WithDefault("5")
  int maxAttempts();

  /** First backoff; doubles per attempt, with jitter, capped by {@link #maxBackoff()}. */
  @WithDefault("PT0.5S")
  Duration initialBackoff();

  /** Longest wait between attempts (a longer Retry-After is honoured anyway). */
  @WithDefault("PT30S")
  Duration maxBackoff();

  /** Consecutive failed calls that open the circuit. */
  @WithDefault("10")
  int circuitFailureThreshold();

  /** How long an open circuit refuses calls before one trial call. */
  @WithDefault("PT30S")
  Duration circuitOpenFor();

  /** Replace e-mails, phone numbers, URLs and @handles before text leaves the process. */
  @WithDefault("true")
  boolean redactPii();

  /** Stop calling the LLM once this much was spent, in US dollars (0: no cap). */
  @WithDefault("0")
  double budgetUsd();

  /**
   * Prices per million tokens, by model: {@code distillery.teacher.prices."gpt-4o".input=2.5} and
   * {@code ...output=10}.
   */
  Map<String, Price> prices();

  /** Price of one model, US dollars per million tokens. */
  interface Price {
    /** Per million prompt tokens. */
    double input();

    /** Per million completion tokens. */
    double output();
  }
}
