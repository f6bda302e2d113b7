package io.distillery.students;

import java.util.List;

/**
 * A trained model that labels texts. Thread-safe: the classifier calls it from several stream
 * threads. A student that holds native memory (a fine-tuned transformer) frees it on {@link
 * #close()}; the classifier closes a replaced student once no record can still be scored by it.
 */
public interface Student extends AutoCloseable {

  /** The student kind, e.g. {@code hashed-linear}. */
  String kind();

  /** The label set, in the model's output order. */
  List<String> labels();

  /** Scores one text. */
  Prediction predict(String text);

  /** Frees what the student holds outside the Java heap; nothing by default. */
  @Override
  default void close() {}
}
