package io.distillery.students;

import java.util.List;

/**
 * A trained model that labels texts. Thread-safe: the classifier calls it from several stream
 * threads.
 */
public interface Student {

  /** The student kind, e.g. {@code hashed-linear}. */
  String kind();

  /** The label set, in the model's output order. */
  List<String> labels();

  /** Scores one text. */
  Prediction predict(String text);
}
