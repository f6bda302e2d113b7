package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class PoolingTest {

  static {
    DjlEnvironment.offline();
  }

  // Two texts of three positions, hidden size 2; the second text has one real token and padding.
  private static final float[] HIDDEN = {1, 2, 3, 4, 50, 60, 7, 8, 90, 100, 110, 120};
  private static final long[] MASK = {1, 1, 0, 1, 0, 0};

  @Test
  void shouldAverageOnlyTheRealTokensForMeanPooling() {
    try (var manager = NDManager.newBaseManager("PyTorch")) {
      var hidden = manager.create(HIDDEN, new Shape(2, 3, 2));
      var mask = manager.create(MASK, new Shape(2, 3));

      var pooled = Pooling.MEAN.pool(hidden, mask);

      assertThat(pooled.getShape()).isEqualTo(new Shape(2, 2));
      assertThat(pooled.toFloatArray()).containsExactly(2f, 3f, 7f, 8f);
    }
  }

  @Test
  void shouldTakeTheFirstTokenForClsPooling() {
    try (var manager = NDManager.newBaseManager("PyTorch")) {
      var hidden = manager.create(HIDDEN, new Shape(2, 3, 2));
      var mask = manager.create(MASK, new Shape(2, 3));

      assertThat(Pooling.CLS.pool(hidden, mask).toFloatArray()).containsExactly(1f, 2f, 7f, 8f);
    }
  }

  @Test
  void shouldReadSettingNamesAndRefuseUnknownOnes() {
    assertThat(Pooling.fromSetting(" Mean ")).isEqualTo(Pooling.MEAN);
    assertThat(Pooling.fromSetting(Pooling.CLS.settingName())).isEqualTo(Pooling.CLS);
    assertThatThrownBy(() -> Pooling.fromSetting("max"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown pooling 'max'");
  }
}
