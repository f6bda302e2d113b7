package io.distillery.students;

import java.util.List;

/**
 * A student of the teacher's labels whose answers are turned into people's by the audit's measure
 * of the teacher ({@link TeacherCorrection}). {@link ModelStore} saves the student underneath with
 * its own kind and the correction's counts in the manifest, and loads it back the same way.
 */
public final class CorrectedStudent implements Student {

  private final Student student;
  private final TeacherCorrection correction;

  /**
   * @throws IllegalArgumentException when the two have other label sets, or {@code student} is
   *     already corrected
   */
  public CorrectedStudent(Student student, TeacherCorrection correction) {
    if (student instanceof CorrectedStudent) {
      throw new IllegalArgumentException("the student is corrected already");
    }
    if (!student.labels().equals(correction.labels())) {
      throw new IllegalArgumentException(
          "the student's labels "
              + student.labels()
              + " are not the correction's "
              + correction.labels());
    }
    this.student = student;
    this.correction = correction;
  }

  /** The student of the teacher's labels, before the correction. */
  public Student uncorrected() {
    return student;
  }

  public TeacherCorrection correction() {
    return correction;
  }

  @Override
  public String kind() {
    return student.kind();
  }

  @Override
  public List<String> labels() {
    return student.labels();
  }

  @Override
  public Prediction predict(String text) {
    return correction.apply(student.predict(text));
  }

  @Override
  public void close() {
    student.close();
  }
}
