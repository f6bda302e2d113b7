package io.distillery.labeler.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The part of a chat completion we use: the choices and the token usage.
 *
 * @param choices the answers, in index order; never empty
 * @param promptTokens {@code usage.prompt_tokens}, 0 when the server reports none
 * @param completionTokens {@code usage.completion_tokens}, 0 when the server reports none
 * @param hasUsage whether the server reported usage
 */
record Completion(
    List<Choice> choices, long promptTokens, long completionTokens, boolean hasUsage) {

  /**
   * One answer.
   *
   * @param content {@code message.content}, or null (a refusal, say)
   * @param refusal {@code message.refusal}, or null
   * @param tokens {@code logprobs.content}, or null when the server gave none
   * @param finishReason {@code finish_reason}, or null
   */
  record Choice(String content, String refusal, List<TokenLogprob> tokens, String finishReason) {}

  /**
   * One generated token.
   *
   * @param token the token text
   * @param logprob its natural-log probability
   * @param utf8Length its length in UTF-8 bytes (from {@code bytes} when given: a token may be part
   *     of a character)
   */
  record TokenLogprob(String token, double logprob, int utf8Length) {}

  static Completion parse(String body) throws MalformedResponseException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new MalformedResponseException("the response is not JSON");
    }
    var choicesNode = root == null ? null : root.get("choices");
    if (choicesNode == null || !choicesNode.isArray() || choicesNode.isEmpty()) {
      throw new MalformedResponseException("the response has no choices");
    }
    var indexed = new ArrayList<JsonNode>();
    choicesNode.forEach(indexed::add);
    indexed.sort(Comparator.comparingInt(c -> c.path("index").asInt(0)));
    var choices = new ArrayList<Choice>();
    for (var choice : indexed) {
      var message = choice.path("message");
      choices.add(
          new Choice(
              textOrNull(message.get("content")),
              textOrNull(message.get("refusal")),
              tokens(choice.path("logprobs").path("content")),
              textOrNull(choice.get("finish_reason"))));
    }
    var usage = root.get("usage");
    boolean hasUsage = usage != null && usage.isObject();
    return new Completion(
        List.copyOf(choices),
        hasUsage ? usage.path("prompt_tokens").asLong(0) : 0,
        hasUsage ? usage.path("completion_tokens").asLong(0) : 0,
        hasUsage);
  }

  private static List<TokenLogprob> tokens(JsonNode content) {
    if (!content.isArray() || content.isEmpty()) {
      return null;
    }
    var tokens = new ArrayList<TokenLogprob>();
    for (var t : content) {
      var token = t.path("token").asText("");
      var bytes = t.get("bytes");
      int length =
          bytes != null && bytes.isArray()
              ? bytes.size()
              : token.getBytes(StandardCharsets.UTF_8).length;
      tokens.add(new TokenLogprob(token, t.path("logprob").asDouble(Double.NaN), length));
    }
    return List.copyOf(tokens);
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() || !node.isTextual() ? null : node.asText();
  }
}
