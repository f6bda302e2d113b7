package io.distillery.classifier;

import io.distillery.common.StableHash;
import io.distillery.students.Prediction;
import java.util.Locale;
import java.util.Optional;

/**
 * Which scored texts the teacher sees too (active learning), as one pure rule: every text while no
 * student is promoted; then the uncertain ones (top probability under {@code uncertainThreshold} or
 * a margin to the runner-up under {@code uncertainMargin}) and a stable random {@code sampleRate}
 * of the rest, drawn by a salted hash of the text's id so a replay sends the same texts.
 *
 * @param uncertainThreshold the top probability under which a prediction is uncertain
 * @param uncertainMargin the margin to the runner-up under which a prediction is uncertain
 * @param sampleRate the share of certain texts sent to the teacher as well
 */
record TeacherRoute(double uncertainThreshold, double uncertainMargin, double sampleRate) {

  private static final String SAMPLE_SALT = "distillery.classifier.teacher-sample";

  /** Why a text went to the teacher: the value of the header it carries there. */
  enum Reason {
    /** No student is promoted yet. */
    NO_MODEL,
    /** The student was not sure. */
    UNCERTAIN,
    /** Drawn at random from the texts the student was sure of. */
    SAMPLE;

    /**
     * The header value and the metrics tag: {@code no-model}, {@code uncertain}, {@code sample}.
     */
    String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The rule {@code config} sets. */
  static TeacherRoute of(ClassifierConfig config) {
    return new TeacherRoute(
        config.uncertainThreshold(), config.uncertainMargin(), config.teacherSampleRate());
  }

  /** Whether the student was not sure of {@code prediction}. */
  boolean uncertain(Prediction prediction) {
    return prediction.confidence() < uncertainThreshold || prediction.margin() < uncertainMargin;
  }

  /**
   * Why the text {@code id}, scored as {@code uncertain} or not, goes to the teacher as well, or
   * empty when the student's label is all it gets.
   */
  Optional<Reason> route(String id, boolean uncertain) {
    if (uncertain) {
      return Optional.of(Reason.UNCERTAIN);
    }
    return StableHash.unit(id, SAMPLE_SALT) < sampleRate
        ? Optional.of(Reason.SAMPLE)
        : Optional.empty();
  }
}
