package io.distillery.labeler.openai;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates an answer. Strict: the answer must be one JSON object (surrounding whitespace
 * and one Markdown code fence are tolerated, as small local models add them) and every label one of
 * the codebook's — whatever the prompt, the format or the text said. Also finds where each label
 * value sits in the answer, for {@link LogprobConfidence}.
 */
final class AnswerParser {

  private static final int MAX_QUOTED = 40;

  private final List<String> labels;
  private final Set<String> labelSet;

  AnswerParser(List<String> labels) {
    this.labels = List.copyOf(labels);
    this.labelSet = Set.copyOf(labels);
  }

  /**
   * One text's answer.
   *
   * @param label a valid label, or null
   * @param problem why there is no valid label, or null
   * @param start where the label value starts in the answer (chars), or -1
   * @param end where it ends
   */
  record Parsed(String label, String problem, int start, int end) {

    static Parsed invalid(String problem) {
      return new Parsed(null, problem, -1, -1);
    }

    boolean valid() {
      return label != null;
    }
  }

  /**
   * A batch answer.
   *
   * @param problem why the answer as a whole is unusable (not JSON, ids missing, unknown or
   *     repeated), or null
   * @param answers each id's answer, when {@code problem} is null; an answer may still carry a
   *     label outside the set
   */
  record Batch(String problem, Map<String, Parsed> answers) {}

  /** The answer to one text: {@code {"label": "..."}}. */
  Parsed single(String content, String refusal) {
    if (content == null || content.isBlank()) {
      return Parsed.invalid(
          refusal != null ? "the model refused: " + quote(refusal) : "the answer is empty");
    }
    var stripped = Stripped.of(content);
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(stripped.json());
    } catch (IOException e) {
      return Parsed.invalid("the answer is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      return Parsed.invalid("the answer is not a JSON object");
    }
    return label(root.get("label"), labelSpans(stripped).get(""));
  }

  /** The answer to a batch: {@code {"answers": [{"id": "...", "label": "..."}, ...]}}. */
  Batch batch(String content, List<String> ids) {
    if (content == null || content.isBlank()) {
      return new Batch("the answer is empty", Map.of());
    }
    var stripped = Stripped.of(content);
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(stripped.json());
    } catch (IOException e) {
      return new Batch("the answer is not valid JSON", Map.of());
    }
    var items = root == null ? null : root.get("answers");
    if (items == null || !items.isArray()) {
      return new Batch("the answer has no \"answers\" array", Map.of());
    }
    var expected = new HashSet<>(ids);
    var spans = labelSpans(stripped);
    var answers = new LinkedHashMap<String, Parsed>();
    for (var item : items) {
      var id = item.path("id");
      if (!id.isTextual()) {
        return new Batch("an answer has no \"id\" string", Map.of());
      }
      if (!expected.contains(id.asText())) {
        return new Batch("an answer names an unknown id " + quote(id.asText()), Map.of());
      }
      if (answers.containsKey(id.asText())) {
        return new Batch("id " + quote(id.asText()) + " is answered twice", Map.of());
      }
      answers.put(id.asText(), label(item.get("label"), spans.get(id.asText())));
    }
    if (answers.size() != ids.size()) {
      return new Batch(answers.size() + " answers for " + ids.size() + " texts", Map.of());
    }
    return new Batch(null, answers);
  }

  private Parsed label(JsonNode node, int[] span) {
    if (node == null || !node.isTextual()) {
      return Parsed.invalid("the answer has no \"label\" string");
    }
    var label = node.asText();
    if (!labelSet.contains(label)) {
      return Parsed.invalid(quote(label) + " is not one of " + labels);
    }
    return span == null
        ? new Parsed(label, null, -1, -1)
        : new Parsed(label, null, span[0], span[1]);
  }

  private static String quote(String s) {
    var oneLine = s.replaceAll("\\s+", " ").strip();
    return "'"
        + (oneLine.length() <= MAX_QUOTED ? oneLine : oneLine.substring(0, MAX_QUOTED) + "…")
        + "'";
  }

  /**
   * Where each object's {@code "label"} string value sits in the original answer, keyed by the
   * object's {@code "id"} ("" for an object without one); first occurrence wins.
   */
  private static Map<String, int[]> labelSpans(Stripped stripped) {
    var json = stripped.json();
    var spans = new HashMap<String, int[]>();
    var frames = new ArrayDeque<Frame>();
    try (var parser = Json.MAPPER.getFactory().createParser(json)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.START_OBJECT) {
          frames.push(new Frame());
        } else if (token == JsonToken.END_OBJECT) {
          var frame = frames.pop();
          if (frame.label != null) {
            spans.putIfAbsent(frame.id == null ? "" : frame.id, frame.label);
          }
        } else if (token == JsonToken.VALUE_STRING && !frames.isEmpty()) {
          var name = parser.currentName();
          if ("id".equals(name)) {
            frames.peek().id = parser.getText();
          } else if ("label".equals(name) && frames.peek().label == null) {
            int quote = (int) parser.currentTokenLocation().getCharOffset();
            if (quote >= 0 && quote < json.length() && json.charAt(quote) == '"') {
              int close = closingQuote(json, quote);
              frames.peek().label =
                  new int[] {stripped.offset() + quote + 1, stripped.offset() + close};
            }
          }
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return spans;
  }

  private static int closingQuote(String json, int open) {
    int i = open + 1;
    while (i < json.length()) {
      char c = json.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '"') {
        return i;
      } else {
        i++;
      }
    }
    return json.length();
  }

  private static final class Frame {
    String id;
    int[] label;
  }

  /** The JSON inside an answer, and where it starts in the answer. */
  private record Stripped(String json, int offset) {

    static Stripped of(String content) {
      int start = 0;
      int end = content.length();
      while (start < end && Character.isWhitespace(content.charAt(start))) {
        start++;
      }
      while (end > start && Character.isWhitespace(content.charAt(end - 1))) {
        end--;
      }
      if (content.startsWith("```", start)
          && end - start >= 6
          && content.startsWith("```", end - 3)) {
        int newline = content.indexOf('\n', start);
        if (newline >= 0 && newline < end - 3) {
          start = newline + 1;
          end -= 3;
          while (end > start && Character.isWhitespace(content.charAt(end - 1))) {
            end--;
          }
        }
      }
      return new Stripped(content.substring(start, end), start);
    }
  }
}
