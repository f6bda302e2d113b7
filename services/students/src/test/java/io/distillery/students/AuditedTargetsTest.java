package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.distillery.students.AuditedTargets.Review;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AuditedTargetsTest {

  private static final List<String> LABELS = List.of("agrees", "not_agrees");

  /**
   * An audit shaped like the climate teacher's: its "agrees" at a stated 0.8 is right 40 % of the
   * time, at 0.9 two times in three, at 0.95 nearly always; its "not agrees" nearly always.
   */
  private static List<Review> climateLikeAudit() {
    var reviews = new ArrayList<Review>();
    add(reviews, "agrees", 0.8, 10, 15);
    add(reviews, "agrees", 0.9, 40, 20);
    add(reviews, "agrees", 0.95, 33, 2);
    add(reviews, "not_agrees", 0.8, 48, 2);
    add(reviews, "not_agrees", 0.9, 49, 1);
    return reviews;
  }

  private static void add(
      List<Review> reviews, String teacher, double confidence, int agreed, int not) {
    var other = teacher.equals("agrees") ? "not_agrees" : "agrees";
    for (int i = 0; i < agreed; i++) {
      reviews.add(new Review(teacher, teacher, confidence));
    }
    for (int i = 0; i < not; i++) {
      reviews.add(new Review(other, teacher, confidence));
    }
  }

  @Test
  void shouldLearnHowOftenPeopleAgreeAtEachStatedConfidence() {
    var targets = AuditedTargets.fit(LABELS, climateLikeAudit());

    // Near the measured rates: 0.40, 0.67, 0.94 (a smooth fit through three points, pulled a
    // little towards the label's overall agreement).
    assertThat(targets.agreement("agrees", 0.8)).isCloseTo(0.40, within(0.08));
    assertThat(targets.agreement("agrees", 0.9)).isCloseTo(0.67, within(0.08));
    assertThat(targets.agreement("agrees", 0.95)).isCloseTo(0.94, within(0.06));
    // Monotone in the stated confidence.
    assertThat(targets.agreement("agrees", 0.99)).isGreaterThan(targets.agreement("agrees", 0.95));
    assertThat(targets.agreement("not_agrees", 0.9)).isGreaterThan(0.95);
  }

  @Test
  void shouldTurnALowConfidenceTeacherLabelIntoPeoplesLikelyAnswer() {
    var targets = AuditedTargets.fit(LABELS, climateLikeAudit());

    var doubtful =
        targets.relabel(
            new LabeledExample("a", "agrees", SoftTargets.fromConfidence("agrees", 0.8)));
    var sure =
        targets.relabel(
            new LabeledExample("b", "agrees", SoftTargets.fromConfidence("agrees", 0.95)));

    assertThat(doubtful.label()).isEqualTo("not_agrees");
    assertThat(doubtful.distribution().get("agrees") + doubtful.distribution().get("not_agrees"))
        .isCloseTo(1, within(1e-9));
    assertThat(sure.label()).isEqualTo("agrees");
    assertThat(sure.distribution().get("agrees")).isGreaterThan(0.85);
    assertThat(sure.text()).isEqualTo("b");
  }

  @Test
  void shouldFallBackToTheCorrectionsColumnWithoutAConfidence() {
    var reviews = climateLikeAudit();
    var targets = AuditedTargets.fit(LABELS, reviews);

    // 83 of the 120 "agrees" reviews agreed: (83 + 1) / (120 + 2), add-one as TeacherCorrection.
    assertThat(targets.agreement("agrees", null)).isCloseTo(84.0 / 122, within(1e-12));
    assertThat(targets.target("agrees", null))
        .containsExactly(new double[] {84.0 / 122, 38.0 / 122}, within(1e-12));
    assertThat(targets.correction().probability("agrees", "agrees"))
        .isCloseTo(84.0 / 122, within(1e-12));
  }

  @Test
  void shouldKeepTheColumnWhereTheConfidenceSaysNothing() {
    // Agreement unrelated to the stated confidence: the fit's slope goes to 0, or near it.
    var reviews = new ArrayList<Review>();
    var random = new Random(7);
    for (int i = 0; i < 400; i++) {
      double confidence = 0.7 + 0.3 * random.nextDouble();
      reviews.add(
          new Review(random.nextDouble() < 0.8 ? "agrees" : "not_agrees", "agrees", confidence));
    }
    var targets = AuditedTargets.fit(LABELS, reviews);

    assertThat(targets.agreement("agrees", 0.71)).isCloseTo(0.8, within(0.06));
    assertThat(targets.agreement("agrees", 0.99)).isCloseTo(0.8, within(0.06));
  }

  @Test
  void shouldNeverLetMoreConfidenceMeanLessAgreement() {
    var reviews = new ArrayList<Review>();
    add(reviews, "agrees", 0.7, 30, 0);
    add(reviews, "agrees", 0.99, 10, 20);
    var targets = AuditedTargets.fit(LABELS, reviews);

    assertThat(targets.agreement("agrees", 0.99))
        .isCloseTo(targets.agreement("agrees", 0.7), within(1e-9));
  }

  @Test
  void shouldLeaveAFaultlessTeachersLabelsAlmostOneHot() {
    var reviews = new ArrayList<Review>();
    add(reviews, "agrees", 0.9, 100, 0);
    add(reviews, "not_agrees", 0.9, 100, 0);
    var targets = AuditedTargets.fit(LABELS, reviews);

    for (var label : LABELS) {
      var relabelled =
          targets.relabel(new LabeledExample("t", label, SoftTargets.fromConfidence(label, 0.6)));
      assertThat(relabelled.label()).isEqualTo(label);
      assertThat(relabelled.distribution().get(label)).isGreaterThan(0.9);
    }
  }

  @Test
  void shouldRefuseALabelOutsideTheSet() {
    var reviews = List.of(new Review("maybe", "agrees", 0.9));

    assertThatThrownBy(() -> AuditedTargets.fit(LABELS, reviews))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'maybe' is not one of [agrees, not_agrees]");
    var targets = AuditedTargets.fit(LABELS, List.of());
    assertThatThrownBy(() -> targets.target("maybe", 0.9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'maybe'");
  }
}
