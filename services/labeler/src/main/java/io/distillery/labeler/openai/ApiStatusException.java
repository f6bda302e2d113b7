package io.distillery.labeler.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Locale;

/**
 * The server answered with an error status. Carries what deciding and reporting need, in the OpenAI
 * error format ({@code {"error": {"message", "type", "code", "param"}}}); the message is already
 * scrubbed of API keys and shortened, so it is safe in logs, exceptions and dead letters.
 */
final class ApiStatusException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final int MAX_MESSAGE = 200;

  private final int status;
  private final String errorCode;
  private final String param;
  private final String safeMessage;
  private final String retryAfter;
  private final String retryAfterMs;

  ApiStatusException(
      int status,
      String errorCode,
      String param,
      String safeMessage,
      String retryAfter,
      String retryAfterMs) {
    super(describe(status, errorCode, safeMessage));
    this.status = status;
    this.errorCode = errorCode;
    this.param = param;
    this.safeMessage = safeMessage;
    this.retryAfter = retryAfter;
    this.retryAfterMs = retryAfterMs;
  }

  /** Reads the error body, whatever its shape; nothing of it is kept unscrubbed. */
  static ApiStatusException of(
      int status, String body, String retryAfter, String retryAfterMs, ApiKey key) {
    String message = "";
    String code = null;
    String param = null;
    try {
      var error = Json.MAPPER.readTree(body).path("error");
      message = error.isTextual() ? error.asText() : text(error.path("message"));
      code = firstNonBlank(text(error.path("code")), text(error.path("type")));
      param = text(error.path("param"));
    } catch (IOException | RuntimeException notJson) {
      // Proxies answer with HTML; its content is no use to anyone reading our logs.
      message = "";
    }
    return new ApiStatusException(
        status, code, param, shorten(key.scrub(message)), retryAfter, retryAfterMs);
  }

  int status() {
    return status;
  }

  /** The raw {@code Retry-After} header (seconds or an HTTP date), or null. */
  String retryAfter() {
    return retryAfter;
  }

  /** The raw {@code retry-after-ms} header (Azure, some gateways), or null. */
  String retryAfterMs() {
    return retryAfterMs;
  }

  /** Whether the server refused the {@code response_format} we asked for. */
  /**
   * Whether the server refused one of the request's settings ({@code n}, {@code logprobs}, {@code
   * temperature}...): no text will ever pass until the configuration changes.
   */
  boolean refusesRequestSetting() {
    var code = errorCode == null ? "" : errorCode.toLowerCase(Locale.ROOT);
    var field = param == null ? "" : param.toLowerCase(Locale.ROOT);
    return code.equals("unsupported_parameter")
        || code.equals("unsupported_value")
        || java.util.Set.of("n", "logprobs", "top_logprobs", "temperature", "model")
            .contains(field);
  }

  boolean mentionsResponseFormat() {
    var haystack =
        (safeMessage
                + " "
                + (param == null ? "" : param)
                + " "
                + (errorCode == null ? "" : errorCode))
            .toLowerCase(Locale.ROOT);
    return haystack.contains("response_format")
        || haystack.contains("response format")
        || haystack.contains("json_schema");
  }

  private static String describe(int status, String code, String message) {
    var out = new StringBuilder("HTTP ").append(status);
    if (code != null) {
      out.append(" (").append(code).append(')');
    }
    if (message != null && !message.isBlank()) {
      out.append(": ").append(message);
    }
    return out.toString();
  }

  private static String text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asText() : null;
  }

  private static String firstNonBlank(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }

  private static String shorten(String message) {
    if (message == null) {
      return "";
    }
    var oneLine = message.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "…";
  }
}
