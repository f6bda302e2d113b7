package io.distillery.trainer;

import io.distillery.students.CorrectedStudent;
import io.distillery.students.LabeledExample;
import io.distillery.students.Metrics;
import io.distillery.students.Student;
import io.distillery.students.TeacherCorrection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The human-labelled texts students are measured on, and the audit's correction for the teacher's
 * errors when there is one ({@link TeacherCorrection}).
 *
 * <p>The correction is counted on reviewed texts, and these are among the texts measured on; so a
 * text the correction counted is scored with the correction less its own count (leave-one-out), and
 * the macro-F1 stays an estimate on texts the model never saw in any form.
 *
 * @param examples the texts with people's labels
 * @param countedTeacherLabels per example, the teacher's label the correction counted it with; null
 *     where it counted no such text
 * @param correction the correction, absent when it is turned off or too few reviews count
 */
record Evaluation(
    List<LabeledExample> examples,
    List<String> countedTeacherLabels,
    Optional<TeacherCorrection> correction) {

  Evaluation {
    if (examples.size() != countedTeacherLabels.size()) {
      throw new IllegalArgumentException("one counted teacher label (or null) per example");
    }
    examples = List.copyOf(examples);
    countedTeacherLabels =
        java.util.Collections.unmodifiableList(new ArrayList<>(countedTeacherLabels));
  }

  /** Texts measured on with no correction. */
  static Evaluation uncorrected(List<LabeledExample> examples) {
    return new Evaluation(
        examples, java.util.Collections.nCopies(examples.size(), null), Optional.empty());
  }

  int size() {
    return examples.size();
  }

  boolean isEmpty() {
    return examples.isEmpty();
  }

  /** {@code student} as it will be served: corrected when there is a correction. */
  Student serve(Student student) {
    return correction
        .<Student>map(c -> new CorrectedStudent(uncorrected(student), c))
        .orElse(student);
  }

  /**
   * The student against people. With a correction, the student underneath is scored through it
   * (leave-one-out, see above), whatever correction it carried before: a champion and its
   * challenger are compared under the same measure of the teacher.
   */
  Metrics.Summary measure(Student student, List<String> labels) {
    var predicted = new ArrayList<String>(examples.size());
    var base = correction.isPresent() ? uncorrected(student) : student;
    for (int i = 0; i < examples.size(); i++) {
      var example = examples.get(i);
      var prediction = base.predict(example.text());
      if (correction.isPresent()) {
        var counted = countedTeacherLabels.get(i);
        var c =
            counted == null ? correction.get() : correction.get().without(example.label(), counted);
        prediction = c.apply(prediction);
      }
      predicted.add(prediction.label());
    }
    return Metrics.compare(
        labels, predicted, examples.stream().map(LabeledExample::label).toList());
  }

  /** The same texts scored as the student is, with no correction applied. */
  Metrics.Summary measureUncorrected(Student student, List<String> labels) {
    return uncorrected(examples).measure(uncorrected(student), labels);
  }

  private static Student uncorrected(Student student) {
    return student instanceof CorrectedStudent c ? c.uncorrected() : student;
  }
}
