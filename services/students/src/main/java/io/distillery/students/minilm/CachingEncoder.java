package io.distillery.students.minilm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TextEncoder} that remembers the vectors of the texts it embedded most recently, so a
 * text seen again (a retweet, a text in the next training run) is not run through the model again.
 * Bounded: it keeps at most {@code capacity} texts and forgets the least recently used first.
 *
 * <p>Caching is only sound over an encoder that gives a text the same vector whatever it is
 * embedded with, such as {@link MiniLmEncoder#MiniLmEncoder()} (one text per forward pass); over a
 * batching one, a cached vector would depend on which batch first saw the text.
 *
 * <p>Thread-safe. The lock is held only to look up and store vectors, never while the model runs,
 * so two threads that miss on the same text at once both embed it (and store the same vector).
 */
public final class CachingEncoder implements TextEncoder {

  /**
   * The default bound, in texts: a vector is 1.5 KB, so with its text and map entry about 2 KB for
   * a tweet or a review sentence, about 40 MB in all.
   */
  public static final int DEFAULT_CAPACITY = 20_000;

  private final TextEncoder encoder;
  private final int capacity;
  private final Map<String, float[]> vectors;

  /**
   * @param encoder embeds what is not cached; must give a text the same vector in any batch. Closed
   *     with this one.
   * @param capacity the most texts kept
   */
  public CachingEncoder(TextEncoder encoder, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
    }
    this.encoder = encoder;
    this.capacity = capacity;
    this.vectors =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > CachingEncoder.this.capacity;
          }
        };
  }

  @Override
  public String modelName() {
    return encoder.modelName();
  }

  /**
   * {@inheritDoc} Each distinct text that is not cached is embedded once, however often it occurs
   * in {@code texts}. The arrays returned are shared with the cache: callers must not change them.
   */
  @Override
  public float[][] embed(List<String> texts) {
    var out = new float[texts.size()][];
    var missing = new LinkedHashMap<String, List<Integer>>();
    synchronized (vectors) {
      for (int i = 0; i < texts.size(); i++) {
        var cached = vectors.get(texts.get(i));
        if (cached != null) {
          out[i] = cached;
        } else {
          missing.computeIfAbsent(texts.get(i), t -> new ArrayList<>()).add(i);
        }
      }
    }
    if (missing.isEmpty()) {
      return out;
    }
    var distinct = new ArrayList<>(missing.keySet());
    float[][] embedded = encoder.embed(distinct);
    synchronized (vectors) {
      for (int j = 0; j < distinct.size(); j++) {
        vectors.put(distinct.get(j), embedded[j]);
      }
    }
    for (int j = 0; j < distinct.size(); j++) {
      for (int i : missing.get(distinct.get(j))) {
        out[i] = embedded[j];
      }
    }
    return out;
  }

  /** Texts cached now. */
  public int size() {
    synchronized (vectors) {
      return vectors.size();
    }
  }

  /** Closes the encoder and forgets every vector. */
  @Override
  public void close() {
    synchronized (vectors) {
      vectors.clear();
    }
    encoder.close();
  }
}
