package io.distillery.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.students.CorrectedStudent;
import io.distillery.students.LabeledExample;
import io.distillery.students.Prediction;
import io.distillery.students.Student;
import io.distillery.students.TeacherCorrection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluationTest {

  private static final List<String> LABELS = List.of("a", "b");

  /** A student that gives every text the same answer: 0.8 for "a". */
  private static final Student LEANS_A =
      new Student() {
        @Override
        public String kind() {
          return "fixed";
        }

        @Override
        public List<String> labels() {
          return LABELS;
        }

        @Override
        public Prediction predict(String text) {
          return new Prediction(LABELS, new double[] {0.8, 0.2});
        }
      };

  // One review counted: people said "b" where the teacher said "b". With it, P(b | teacher b) is
  // 2/3 and the student's 0.2 for "b" becomes 0.533: "b". Without it every column is 1/2: a tie.
  private static final TeacherCorrection ONE_REVIEW =
      TeacherCorrection.of(LABELS, Map.of("b", Map.of("b", 1L)));
  private static final LabeledExample REVIEWED = new LabeledExample("x", "b");

  @Test
  void shouldScoreACountedTextWithTheCorrectionLessItsOwnCount() {
    var evaluation = new Evaluation(List.of(REVIEWED), List.of("b"), Optional.of(ONE_REVIEW));

    // The correction counted on the very text would make it right; left out, it does not.
    assertThat(new CorrectedStudent(LEANS_A, ONE_REVIEW).predict("x").label()).isEqualTo("b");
    assertThat(evaluation.measure(LEANS_A, LABELS).accuracy()).isEqualTo(0.0);
  }

  @Test
  void shouldScoreATextTheCorrectionDidNotCountWithTheWholeCorrection() {
    var evaluation =
        new Evaluation(
            List.of(REVIEWED), java.util.Collections.singletonList(null), Optional.of(ONE_REVIEW));

    assertThat(evaluation.measure(LEANS_A, LABELS).accuracy()).isEqualTo(1.0);
    assertThat(evaluation.measureUncorrected(LEANS_A, LABELS).accuracy()).isEqualTo(0.0);
  }

  @Test
  void shouldMeasureAStudentCorrectedBeforeUnderTheCurrentCorrection() {
    var evaluation =
        new Evaluation(
            List.of(REVIEWED), java.util.Collections.singletonList(null), Optional.of(ONE_REVIEW));
    // A champion corrected by counts that said the teacher's "b" is always "a".
    var champion =
        new CorrectedStudent(LEANS_A, TeacherCorrection.of(LABELS, Map.of("a", Map.of("b", 50L))));

    assertThat(evaluation.measure(champion, LABELS).accuracy()).isEqualTo(1.0);
    assertThat(evaluation.serve(champion)).isInstanceOf(CorrectedStudent.class);
    assertThat(((CorrectedStudent) evaluation.serve(champion)).correction()).isSameAs(ONE_REVIEW);
  }

  @Test
  void shouldServeAndMeasureAsTheyAreWithoutACorrection() {
    var evaluation = Evaluation.uncorrected(List.of(REVIEWED));

    assertThat(evaluation.serve(LEANS_A)).isSameAs(LEANS_A);
    assertThat(evaluation.measure(LEANS_A, LABELS).accuracy()).isEqualTo(0.0);
  }
}
