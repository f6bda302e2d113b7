package io.distillery.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.distillery.app.StreamHistory.Kind;
import org.junit.jupiter.api.Test;

class StreamHistoryTest {

  private static final long T0 = 1_800_000_000_000L - 1_800_000_000_000L % 60_000;
  private static final long MINUTE = 60_000;

  @Test
  void shouldGiveRatesShareAndWhatTheTeacherCostAgainstWhatTheStudentSaved() {
    var history = new StreamHistory(60);
    // Minute 0: 60 texts arrive, no model: all 60 go to the teacher, each label costs 1 cent.
    for (int i = 0; i < 60; i++) {
      history.add(Kind.RAW, T0 + i, 0);
      history.add(Kind.FOR_TEACHER, T0 + i, 0);
      history.add(Kind.LABELED, T0 + i, 0.01);
    }
    // Minute 1: 120 arrive and are scored; 12 of them go on to the teacher.
    for (int i = 0; i < 120; i++) {
      history.add(Kind.RAW, T0 + MINUTE + i, 0);
      history.add(Kind.SCORED, T0 + MINUTE + i, 0);
    }
    for (int i = 0; i < 12; i++) {
      history.add(Kind.FOR_TEACHER, T0 + MINUTE + i, 0);
      history.add(Kind.LABELED, T0 + MINUTE + i, 0.01);
    }

    var points = history.view(T0 + MINUTE + 30_000, 10);

    assertThat(points).hasSize(2);
    var first = points.get(0);
    assertThat(first.start()).isEqualTo(T0);
    assertThat(first.rawPerSecond()).isEqualTo(1.0);
    assertThat(first.scoredPerSecond()).isZero();
    assertThat(first.teacherPerSecond()).isEqualTo(1.0);
    assertThat(first.teacherShare()).isEqualTo(1.0);
    assertThat(first.spentUsd()).isCloseTo(0.60, within(1e-9));
    assertThat(first.savedUsd()).isZero();
    var second = points.get(1);
    assertThat(second.rawPerSecond()).isEqualTo(2.0);
    assertThat(second.scoredPerSecond()).isEqualTo(2.0);
    assertThat(second.teacherPerSecond()).isEqualTo(0.2);
    assertThat(second.teacherShare()).isCloseTo(0.1, within(1e-9));
    assertThat(second.spentUsd()).isCloseTo(0.72, within(1e-9));
    assertThat(second.savedUsd())
        .as("108 texts the student labeled alone, at one cent each")
        .isCloseTo(1.08, within(1e-9));
  }

  @Test
  void shouldMergeMinutesIntoAtMostTheStretchesAskedForUpToNow() {
    var history = new StreamHistory(1000);
    for (int m = 0; m < 10; m++) {
      history.add(Kind.RAW, T0 + m * MINUTE, 0);
    }

    var points = history.view(T0 + 19 * MINUTE, 5);

    assertThat(points).hasSize(5);
    assertThat(points).allSatisfy(p -> assertThat(p.seconds()).isEqualTo(4 * 60));
    assertThat(points.get(0).rawPerSecond()).isEqualTo(4.0 / 240);
    assertThat(points.get(4).rawPerSecond()).as("quiet minutes up to now count").isZero();
    assertThat(points.get(4).teacherShare()).as("nothing routed").isNull();
  }

  @Test
  void shouldHoldAtMostTheRetainedMinutesDroppingTheOldest() {
    var history = new StreamHistory(3);
    for (int m = 0; m < 5; m++) {
      history.add(Kind.RAW, T0 + m * MINUTE, 0);
    }
    history.add(Kind.RAW, T0, 0);

    assertThat(history.size()).isEqualTo(3);
    assertThat(history.view(T0 + 4 * MINUTE, 10))
        .first()
        .satisfies(p -> assertThat(p.start()).isEqualTo(T0 + 2 * MINUTE));
    assertThat(new StreamHistory(3).view(T0, 10)).isEmpty();
    assertThatThrownBy(() -> new StreamHistory(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
