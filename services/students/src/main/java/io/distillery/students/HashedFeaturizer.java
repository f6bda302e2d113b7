package io.distillery.students;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Words and word bigrams hashed into a fixed number of buckets, with sublinear term frequency and
 * L2 normalisation (what the TF-IDF baseline uses, minus the IDF, which a trained weight absorbs).
 * Hashing needs no vocabulary, so the featurizer is the same on every machine and for every future
 * text.
 *
 * <p>Optionally, character n-grams of each word too (lengths 3 to {@code charNgrams}, the word
 * framed by {@code <} and {@code >}, as fastText does): they let misspellings, inflections and
 * hashtags share features with the words they resemble, which helps on short social-media texts.
 *
 * @param buckets number of hash buckets (a power of two)
 * @param bigrams whether word bigrams are features too
 * @param charNgrams the longest character n-gram of a word used as a feature; 0 for none
 */
public record HashedFeaturizer(int buckets, boolean bigrams, int charNgrams) {

  /**
   * 2^18 buckets with bigrams (few collisions at tweet-to-review vocabulary sizes) and character 3-
   * and 4-grams: with them the student trained on LLM labels beats the TF-IDF baseline of
   * ../shared/BASELINES.md on css-semeval-stance (0.685 against 0.471) and global-warming-stance
   * (0.623 against 0.618), where words alone fall short (0.567 and 0.609).
   */
  public static final HashedFeaturizer DEFAULT = new HashedFeaturizer(1 << 18, true, 4);

  public HashedFeaturizer {
    if (buckets <= 0 || Integer.bitCount(buckets) != 1) {
      throw new IllegalArgumentException("buckets must be a power of two, got " + buckets);
    }
    if (charNgrams != 0 && (charNgrams < 3 || charNgrams > 8)) {
      throw new IllegalArgumentException(
          "charNgrams must be 0 (none) or from 3 to 8, got " + charNgrams);
    }
  }

  /** Words (and bigrams) only, no character n-grams. */
  public HashedFeaturizer(int buckets, boolean bigrams) {
    this(buckets, bigrams, 0);
  }

  /** Lower-cased runs of letters, digits and apostrophes. */
  static List<String> tokens(String text) {
    var out = new ArrayList<String>();
    var lower = text.toLowerCase(Locale.ROOT);
    int start = -1;
    for (int i = 0; i <= lower.length(); i++) {
      boolean word =
          i < lower.length()
              && (Character.isLetterOrDigit(lower.charAt(i)) || lower.charAt(i) == '\'');
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        out.add(lower.substring(start, i));
        start = -1;
      }
    }
    return out;
  }

  /** The feature vector of one text. */
  public SparseVector features(String text) {
    var tokens = tokens(text);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      counts.merge(bucket(tokens.get(i)), 1, Integer::sum);
      if (bigrams && i > 0) {
        counts.merge(bucket(tokens.get(i - 1) + ' ' + tokens.get(i)), 1, Integer::sum);
      }
      if (charNgrams > 0) {
        var framed = '<' + tokens.get(i) + '>';
        for (int n = 3; n <= charNgrams; n++) {
          for (int from = 0; from + n <= framed.length(); from++) {
            // The tab keeps a character n-gram from ever hashing like a word or a bigram.
            counts.merge(bucket('\t' + framed.substring(from, from + n)), 1, Integer::sum);
          }
        }
      }
    }
    var indices = new int[counts.size()];
    var values = new float[counts.size()];
    double norm = 0;
    int k = 0;
    for (var e : counts.entrySet()) {
      indices[k] = e.getKey();
      values[k] = (float) (1 + Math.log(e.getValue()));
      norm += values[k] * values[k];
      k++;
    }
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < values.length; i++) {
        values[i] *= scale;
      }
    }
    return new SparseVector(indices, values);
  }

  /**
   * FNV-1a, 64-bit, over the UTF-16 chars: stable across JVMs, unlike {@link String#hashCode()}
   * mixing choices.
   */
  private int bucket(String token) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < token.length(); i++) {
      h ^= token.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 29;
    return (int) (h & (buckets - 1));
  }

  /**
   * The featurizer {@link #settings()} describe.
   *
   * @throws IllegalArgumentException when they are not a hashed-words featurizer's
   */
  public static HashedFeaturizer fromSettings(Map<String, String> settings) {
    if (!"hashed-words".equals(settings.get("type")) || settings.get("buckets") == null) {
      throw new IllegalArgumentException("not hashed-words featurizer settings: " + settings);
    }
    return new HashedFeaturizer(
        Integer.parseInt(settings.get("buckets")),
        Boolean.parseBoolean(settings.get("bigrams")),
        Integer.parseInt(settings.getOrDefault("char-ngrams", "0")));
  }

  /** The settings, as recorded on a model version. */
  public Map<String, String> settings() {
    return Map.of(
        "type",
        "hashed-words",
        "buckets",
        Integer.toString(buckets),
        "bigrams",
        Boolean.toString(bigrams),
        "char-ngrams",
        Integer.toString(charNgrams));
  }
}
