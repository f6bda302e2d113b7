package io.distillery.students;

/**
 * {@link HashedFeaturizer} as it was first written, before 2026-12-03: each word, bigram and
 * character n-gram made as a {@code String} (substrings, a list of tokens, a boxed map of counts),
 * then hashed. Kept as the reference the featurizer's features are pinned to (HashedFeaturizerTest)
 * and measured against (bench's FeaturizerBench).
 */
public final class StringHashedFeaturizer {

  private StringHashedFeaturizer() {}

  /** The features of {@code text}, bucket to value, built from strings. */
  public static java.util.SortedMap<Integer, Float> features(HashedFeaturizer f, String text) {
    var tokens = new java.util.ArrayList<String>();
    var lower = text.toLowerCase(java.util.Locale.ROOT);
    int start = -1;
    for (int i = 0; i <= lower.length(); i++) {
      boolean word =
          i < lower.length()
              && (Character.isLetterOrDigit(lower.charAt(i)) || lower.charAt(i) == '\'');
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        tokens.add(lower.substring(start, i));
        start = -1;
      }
    }
    var counts = new java.util.HashMap<Integer, Integer>();
    for (int i = 0; i < tokens.size(); i++) {
      counts.merge(bucket(f, tokens.get(i)), 1, Integer::sum);
      if (f.bigrams() && i > 0) {
        counts.merge(bucket(f, tokens.get(i - 1) + ' ' + tokens.get(i)), 1, Integer::sum);
      }
      if (f.charNgrams() > 0) {
        var framed = '<' + tokens.get(i) + '>';
        for (int n = 3; n <= f.charNgrams(); n++) {
          for (int from = 0; from + n <= framed.length(); from++) {
            counts.merge(bucket(f, '\t' + framed.substring(from, from + n)), 1, Integer::sum);
          }
        }
      }
    }
    double norm = 0;
    for (int c : counts.values()) {
      norm += (1 + Math.log(c)) * (1 + Math.log(c));
    }
    var out = new java.util.TreeMap<Integer, Float>();
    for (var e : counts.entrySet()) {
      out.put(e.getKey(), (float) ((1 + Math.log(e.getValue())) / Math.sqrt(norm)));
    }
    return out;
  }

  private static int bucket(HashedFeaturizer f, String token) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < token.length(); i++) {
      h ^= token.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 29;
    return (int) (h & (f.buckets() - 1));
  }
}
