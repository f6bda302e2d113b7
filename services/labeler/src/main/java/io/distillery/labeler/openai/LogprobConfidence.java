package io.distillery.labeler.openai;

import io.distillery.labeler.openai.Completion.TokenLogprob;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The teacher's confidence in a label from token log-probabilities: {@code exp} of the sum of the
 * log-probabilities of the tokens that spell the label's value in the answer, i.e. the probability
 * the model gave to writing that label, there, given everything before it. A token that straddles
 * the value's boundary (a quote glued to the label's first characters, say) counts too; under a
 * schema those characters are forced, so this barely moves the result. Positions are compared in
 * UTF-8 bytes because a token may be part of a character. When the tokens do not spell the answer,
 * or there are none, there is no confidence (null), never a guess.
 */
final class LogprobConfidence {

  private LogprobConfidence() {}

  /**
   * @param start where the label value starts in {@code content} (chars)
   * @param end where it ends (chars, exclusive)
   */
  static Double of(String content, int start, int end, List<TokenLogprob> tokens) {
    if (content == null || tokens == null || tokens.isEmpty() || start < 0 || end <= start) {
      return null;
    }
    int from = utf8(content.substring(0, start));
    int to = from + utf8(content.substring(start, end));
    long position = 0;
    double sum = 0;
    boolean any = false;
    for (var token : tokens) {
      long next = position + token.utf8Length();
      if (next > from && position < to) {
        if (Double.isNaN(token.logprob())) {
          return null;
        }
        sum += token.logprob();
        any = true;
      }
      position = next;
    }
    if (!any || position != utf8(content)) {
      return null;
    }
    return Math.min(1.0, Math.exp(sum));
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
