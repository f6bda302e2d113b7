package io.distillery.students.bert;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a BERT encoder, as in a Hugging Face {@code config.json}. {@link #toMap()} and
 * {@link #fromMap(Map)} carry it through an artifact manifest's settings, under the Hugging Face
 * names prefixed with {@value #PREFIX}.
 *
 * @param vocabSize rows of the word-embedding table
 * @param hidden width of every hidden state
 * @param layers transformer layers
 * @param heads attention heads per layer; divides {@code hidden}
 * @param intermediate width of the feed-forward layer
 * @param maxPositions longest input in tokens (rows of the position table)
 * @param typeVocabSize rows of the token-type table
 * @param layerNormEps the epsilon of every LayerNorm
 * @param hiddenDropout dropout rate on embeddings and on every sub-layer's output
 * @param attentionDropout dropout rate on the attention probabilities
 */
public record BertConfig(
    int vocabSize,
    int hidden,
    int layers,
    int heads,
    int intermediate,
    int maxPositions,
    int typeVocabSize,
    float layerNormEps,
    float hiddenDropout,
    float attentionDropout) {

  /** What the keys of {@link #toMap()} start with. */
  public static final String PREFIX = "bert.";

  /** all-MiniLM-L6-v2 (sentence-transformers), as its {@code config.json} says. */
  public static final BertConfig MINILM_L6 =
      new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f, 0.1f, 0.1f);

  /** bge-small-en-v1.5 (BAAI), as its {@code config.json} says: MiniLM's shape, 12 layers deep. */
  public static final BertConfig BGE_SMALL =
      new BertConfig(30522, 384, 12, 12, 1536, 512, 2, 1e-12f, 0.1f, 0.1f);

  private static final String VOCAB_SIZE = PREFIX + "vocab_size";
  private static final String HIDDEN = PREFIX + "hidden_size";
  private static final String LAYERS = PREFIX + "num_hidden_layers";
  private static final String HEADS = PREFIX + "num_attention_heads";
  private static final String INTERMEDIATE = PREFIX + "intermediate_size";
  private static final String MAX_POSITIONS = PREFIX + "max_position_embeddings";
  private static final String TYPE_VOCAB_SIZE = PREFIX + "type_vocab_size";
  private static final String LAYER_NORM_EPS = PREFIX + "layer_norm_eps";
  private static final String HIDDEN_DROPOUT = PREFIX + "hidden_dropout_prob";
  private static final String ATTENTION_DROPOUT = PREFIX + "attention_probs_dropout_prob";

  /** Checks that the sizes are positive, the heads divide the width and the rates are rates. */
  public BertConfig {
    positive(VOCAB_SIZE, vocabSize);
    positive(HIDDEN, hidden);
    positive(LAYERS, layers);
    positive(HEADS, heads);
    positive(INTERMEDIATE, intermediate);
    positive(MAX_POSITIONS, maxPositions);
    positive(TYPE_VOCAB_SIZE, typeVocabSize);
    if (hidden % heads != 0) {
      throw new IllegalArgumentException(
          HEADS + " (" + heads + ") must divide " + HIDDEN + " (" + hidden + ")");
    }
    if (!(layerNormEps > 0) || Float.isInfinite(layerNormEps)) {
      throw new IllegalArgumentException(LAYER_NORM_EPS + " must be positive, not " + layerNormEps);
    }
    rate(HIDDEN_DROPOUT, hiddenDropout);
    rate(ATTENTION_DROPOUT, attentionDropout);
  }

  /** The width of one attention head. */
  public int headSize() {
    return hidden / heads;
  }

  /** This configuration as settings, in a stable order; {@link #fromMap(Map)} reads it back. */
  public Map<String, String> toMap() {
    var map = new LinkedHashMap<String, String>();
    map.put(VOCAB_SIZE, Integer.toString(vocabSize));
    map.put(HIDDEN, Integer.toString(hidden));
    map.put(LAYERS, Integer.toString(layers));
    map.put(HEADS, Integer.toString(heads));
    map.put(INTERMEDIATE, Integer.toString(intermediate));
    map.put(MAX_POSITIONS, Integer.toString(maxPositions));
    map.put(TYPE_VOCAB_SIZE, Integer.toString(typeVocabSize));
    map.put(LAYER_NORM_EPS, Float.toString(layerNormEps));
    map.put(HIDDEN_DROPOUT, Float.toString(hiddenDropout));
    map.put(ATTENTION_DROPOUT, Float.toString(attentionDropout));
    return map;
  }

  /**
   * Reads a configuration written by {@link #toMap()}; other keys in {@code settings} are ignored.
   *
   * @throws IllegalArgumentException naming the key that is missing or not a valid value
   */
  public static BertConfig fromMap(Map<String, String> settings) {
    return new BertConfig(
        integer(settings, VOCAB_SIZE),
        integer(settings, HIDDEN),
        integer(settings, LAYERS),
        integer(settings, HEADS),
        integer(settings, INTERMEDIATE),
        integer(settings, MAX_POSITIONS),
        integer(settings, TYPE_VOCAB_SIZE),
        decimal(settings, LAYER_NORM_EPS),
        decimal(settings, HIDDEN_DROPOUT),
        decimal(settings, ATTENTION_DROPOUT));
  }

  private static String value(Map<String, String> settings, String key) {
    var value = settings.get(key);
    if (value == null) {
      throw new IllegalArgumentException("the BERT setting " + key + " is missing");
    }
    return value.strip();
  }

  private static int integer(Map<String, String> settings, String key) {
    var value = value(settings, key);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the BERT setting " + key + " must be an integer, not '" + value + "'", e);
    }
  }

  private static float decimal(Map<String, String> settings, String key) {
    var value = value(settings, key);
    try {
      return Float.parseFloat(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the BERT setting " + key + " must be a number, not '" + value + "'", e);
    }
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(key + " must be positive, not " + value);
    }
  }

  private static void rate(String key, float value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(key + " must be in [0, 1), not " + value);
    }
  }
}
