package io.distillery.students;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns texts into the {@code input_ids} and {@code attention_mask} an encoder takes, with the
 * encoder's own Hugging Face {@code tokenizer.json} (DJL's binding of the Rust {@code tokenizers}
 * library, whose native library ships in the jar). Special tokens are added as the file's
 * post-processor says ({@code [CLS] ... [SEP]}, {@code <s> ... </s>}); texts longer than {@code
 * maxLength} tokens are truncated. Batches are padded here, with the tokenizer's own pad token, to
 * the longest text of the batch. Thread-safe.
 */
final class TransformerTokenizer implements AutoCloseable {

  /** The tokenizer's file name, in an export and in an artifact. */
  static final String FILE = "tokenizer.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    DjlEnvironment.offline();
  }

  /**
   * Token ids of several texts, padded into one {@code [rows, width]} block, row-major.
   *
   * @param ids the token ids, the pad id after a text's end
   * @param mask 1 for a real token, 0 for padding
   * @param rows texts
   * @param width tokens of the longest text
   */
  record Batch(long[] ids, long[] mask, int rows, int width) {}

  private final HuggingFaceTokenizer tokenizer;
  private final long padId;
  private final int maxLength;

  private TransformerTokenizer(HuggingFaceTokenizer tokenizer, long padId, int maxLength) {
    this.tokenizer = tokenizer;
    this.padId = padId;
    this.maxLength = maxLength;
  }

  /**
   * Reads {@code file}, a Hugging Face fast tokenizer's {@value #FILE}.
   *
   * @throws IOException when the file is missing or not a tokenizer
   */
  static TransformerTokenizer open(Path file, int maxLength) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "no "
              + FILE
              + " at "
              + file
              + ": save the model's fast tokenizer next to the encoder"
              + " (tokenizer.save_pretrained(dir) writes it)");
    }
    return open(Files.readAllBytes(file), file.toString(), maxLength);
  }

  /**
   * Reads a Hugging Face fast tokenizer's {@value #FILE} from its bytes.
   *
   * @param where names the file in messages
   * @throws IOException when the bytes are not a tokenizer
   */
  static TransformerTokenizer open(byte[] file, String where, int maxLength) throws IOException {
    JsonNode json;
    try {
      json = JSON.readTree(file);
    } catch (IOException e) {
      throw new IOException(where + " is not a tokenizer.json: " + e.getMessage(), e);
    }
    var length = Integer.toString(maxLength);
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer =
          HuggingFaceTokenizer.newInstance(
              new java.io.ByteArrayInputStream(file),
              Map.of(
                  "addSpecialTokens", "true",
                  "truncation", "true",
                  "padding", "false",
                  "maxLength", length,
                  "modelMaxLength", length));
    } catch (RuntimeException e) {
      throw new IOException(where + " is not a tokenizer.json: " + e.getMessage(), e);
    }
    return new TransformerTokenizer(tokenizer, padId(json), maxLength);
  }

  /**
   * The id padding gets: the file's padding setting, else the usual pad token ({@code [PAD]} for
   * BERT, {@code <pad>} for RoBERTa), else 0. The attention mask hides padding from the encoder,
   * but RoBERTa derives position ids from where the pad id is, so it must be the right one.
   */
  static long padId(JsonNode tokenizer) {
    var padding = tokenizer.path("padding");
    if (padding.has("pad_id")) {
      return padding.get("pad_id").asLong();
    }
    for (var token : tokenizer.path("added_tokens")) {
      var content = token.path("content").asText();
      if (content.equals("[PAD]") || content.equals("<pad>")) {
        return token.path("id").asLong();
      }
    }
    return 0;
  }

  /** The longest token sequence a text becomes. */
  int maxLength() {
    return maxLength;
  }

  /** The token ids of {@code text}, special tokens included, at most {@link #maxLength()}. */
  long[] encode(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    return tokenizer.encode(text).getIds();
  }

  /** Pads {@code encoded} texts (from {@link #encode}) to the longest of them. */
  Batch pad(List<long[]> encoded) {
    int width = 1;
    for (var ids : encoded) {
      width = Math.max(width, ids.length);
    }
    int rows = encoded.size();
    var ids = new long[rows * width];
    var mask = new long[rows * width];
    Arrays.fill(ids, padId);
    for (int row = 0; row < rows; row++) {
      var text = encoded.get(row);
      System.arraycopy(text, 0, ids, row * width, text.length);
      Arrays.fill(mask, row * width, row * width + text.length, 1L);
    }
    return new Batch(ids, mask, rows, width);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
