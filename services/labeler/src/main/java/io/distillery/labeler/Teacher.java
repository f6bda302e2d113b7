package io.distillery.labeler;

import io.distillery.schema.TeacherIdentity;
import io.distillery.schema.TextEvent;

/** Labels one text under the codebook. */
public interface Teacher {

  /** Who this teacher is, stamped on every label it gives. */
  TeacherIdentity identity();

  /**
   * The label for one text; always one of the codebook's labels.
   *
   * @throws TeacherException when no usable label can be had; the text is then dead-lettered with
   *     the message
   */
  TeacherLabel label(TextEvent event);

  /**
   * @param label one of the codebook's labels
   * @param confidence the teacher's confidence in [0, 1], or null
   * @param costUsd what the label cost
   */
  record TeacherLabel(String label, Double confidence, double costUsd) {}

  /** The teacher could not give a usable label; the message is the dead-letter reason. */
  final class TeacherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TeacherException(String message) {
      super(message);
    }
  }
}
