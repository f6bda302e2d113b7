package io.distillery.students;

import java.util.Arrays;
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

  /**
   * A thread's counting table, grown as texts need (up to {@code Table.KEPT} slots), cleared after
   * each.
   */
  private static final class Table {
    static final int KEPT = 1 << 14;
    int[] keys;
    int[] counts;

    Table(int size) {
      keys = new int[size];
      counts = new int[size];
    }
  }

  private static final ThreadLocal<Table> TABLES = ThreadLocal.withInitial(() -> new Table(1024));

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  /**
   * The feature vector of one text, each bucket once, in the order its first feature came.
   *
   * <p>Written for speed (it runs once per scored text): the tokens are offsets into the
   * lower-cased text, each feature's hash is computed over those characters where they lie (a
   * bigram is its two words with a space between, a character n-gram a tab and then the n-gram of
   * the word framed by {@code <} and {@code >}), and the buckets are counted by sorting one int
   * array. No substring, list, boxed integer or map is made per feature. The hashes are those of
   * the strings themselves, so the features are what they were when each was built as a string
   * (HashedFeaturizerTest pins them against that construction).
   */
  public SparseVector features(String text) {
    var lower = text.toLowerCase(Locale.ROOT);
    int length = lower.length();
    // starts[i], ends[i]: the i-th run of letters, digits and apostrophes.
    var starts = new int[8];
    var ends = new int[8];
    int tokens = 0;
    int start = -1;
    int features = 0;
    for (int i = 0; i <= length; i++) {
      boolean word = i < length && isWordChar(lower.charAt(i));
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        if (tokens == starts.length) {
          starts = Arrays.copyOf(starts, tokens * 2);
          ends = Arrays.copyOf(ends, tokens * 2);
        }
        starts[tokens] = start;
        ends[tokens] = i;
        features += featuresOfWord(i - start, tokens > 0);
        tokens++;
        start = -1;
      }
    }
    var buckets = new int[features];
    int k = 0;
    for (int t = 0; t < tokens; t++) {
      int s = starts[t];
      int e = ends[t];
      buckets[k++] = bucket(fnv(FNV_OFFSET, lower, s, e));
      if (bigrams && t > 0) {
        long h = fnv(FNV_OFFSET, lower, starts[t - 1], ends[t - 1]);
        h = (h ^ ' ') * FNV_PRIME;
        buckets[k++] = bucket(fnv(h, lower, s, e));
      }
      if (charNgrams > 0) {
        int framed = e - s + 2;
        for (int from = 0; from + 3 <= framed; from++) {
          // The tab keeps a character n-gram from ever hashing like a word or a bigram. FNV-1a
          // runs left to right, so each n-gram from here is the one before it and one character
          // more: every length from 3 to charNgrams in one pass.
          long h = (FNV_OFFSET ^ '\t') * FNV_PRIME;
          int end = Math.min(from + charNgrams, framed);
          for (int p = from; p < end; p++) {
            char c = p == 0 ? '<' : p == framed - 1 ? '>' : lower.charAt(s + p - 1);
            h = (h ^ c) * FNV_PRIME;
            if (p - from >= 2) {
              buckets[k++] = bucket(h);
            }
          }
        }
      }
    }
    // Count the buckets in an open-addressing table (a thread's own, cleared after use): keys are
    // stored + 1, so 0 marks a free slot. The distinct buckets keep the order they first came in.
    int size = Integer.highestOneBit(Math.max(8, features * 2 - 1)) << 1;
    // A long text (up to 100,000 characters are accepted) gets a table of its own, not kept.
    var table = size <= Table.KEPT ? TABLES.get() : new Table(size);
    if (table.keys.length < size) {
      table.keys = new int[size];
      table.counts = new int[size];
    }
    var keys = table.keys;
    var counts = table.counts;
    int mask = size - 1;
    var slots = new int[features];
    int distinct = 0;
    for (int bucket : buckets) {
      int mixed = bucket * 0x9E3779B9;
      int slot = (mixed ^ mixed >>> 16) & mask;
      while (keys[slot] != 0 && keys[slot] != bucket + 1) {
        slot = (slot + 1) & mask;
      }
      if (keys[slot] == 0) {
        keys[slot] = bucket + 1;
        slots[distinct++] = slot;
      }
      counts[slot]++;
    }
    var indices = new int[distinct];
    var values = new float[distinct];
    double norm = 0;
    for (int d = 0; d < distinct; d++) {
      int slot = slots[d];
      indices[d] = keys[slot] - 1;
      int n = counts[slot];
      // Sublinear term frequency; most features occur once, and 1 + ln 1 is 1.
      values[d] = n == 1 ? 1f : (float) (1 + Math.log(n));
      norm += values[d] * values[d];
      keys[slot] = 0;
      counts[slot] = 0;
    }
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < values.length; i++) {
        values[i] *= scale;
      }
    }
    return new SparseVector(indices, values);
  }

  /** A word's own features: itself, its bigram with the word before, its character n-grams. */
  private int featuresOfWord(int length, boolean follows) {
    int n = 1 + (bigrams && follows ? 1 : 0);
    for (int size = 3; size <= charNgrams; size++) {
      n += Math.max(0, length + 2 - size + 1);
    }
    return n;
  }

  /** Letters, digits and apostrophes make words. */
  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '\'';
  }

  /** FNV-1a, 64-bit, continued from {@code h} over the UTF-16 chars {@code from} to {@code to}. */
  private static long fnv(long h, String s, int from, int to) {
    for (int i = from; i < to; i++) {
      h = (h ^ s.charAt(i)) * FNV_PRIME;
    }
    return h;
  }

  /**
   * The bucket of a finished FNV-1a hash: stable across JVMs, unlike {@link String#hashCode()}
   * mixing choices.
   */
  private int bucket(long h) {
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
