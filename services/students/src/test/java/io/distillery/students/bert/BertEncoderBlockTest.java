package io.distillery.students.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.distillery.students.DjlEnvironment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The encoder's wiring on a tiny, randomly initialised configuration. */
class BertEncoderBlockTest {

  private static final BertConfig TINY =
      new BertConfig(40, 16, 2, 4, 32, 12, 2, 1e-12f, 0.1f, 0.1f);

  private static NDManager manager;

  @BeforeAll
  static void startEngine() {
    DjlEnvironment.offline();
    manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }

  @AfterAll
  static void closeEngine() {
    manager.close();
  }

  @Test
  void shouldReadBackTheConfigItWroteIntoSettings() {
    var settings = new HashMap<>(BertConfig.MINILM_L6.toMap());
    settings.put("pooling", "mean");

    assertThat(BertConfig.fromMap(settings)).isEqualTo(BertConfig.MINILM_L6);
    assertThat(BertConfig.MINILM_L6.toMap()).containsEntry("bert.hidden_size", "384");
  }

  @Test
  void shouldRefuseAMissingOrBadSetting() {
    var missing = new HashMap<>(TINY.toMap());
    missing.remove("bert.num_attention_heads");
    var bad = new HashMap<>(TINY.toMap());
    bad.put("bert.layer_norm_eps", "tiny");

    assertThatThrownBy(() -> BertConfig.fromMap(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bert.num_attention_heads");
    assertThatThrownBy(() -> BertConfig.fromMap(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bert.layer_norm_eps")
        .hasMessageContaining("tiny");
    assertThatThrownBy(() -> new BertConfig(40, 16, 2, 3, 32, 12, 2, 1e-12f, 0.1f, 0.1f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must divide");
  }

  @Test
  void shouldNameEveryParameterOnceAsHuggingFaceDoes() {
    var block = initialized(TINY);

    var named = block.huggingFaceParameters();

    assertThat(named).hasSize(5 + 16 * TINY.layers());
    assertThat(named.values()).doesNotHaveDuplicates();
    assertThat(named.values()).containsExactlyInAnyOrderElementsOf(block.getParameters().values());
    assertThat(named.get("encoder.layer.1.intermediate.dense.weight").getArray().getShape())
        .isEqualTo(new Shape(32, 16));
    assertThat(named.get("embeddings.position_embeddings.weight").getArray().getShape())
        .isEqualTo(new Shape(12, 16));
  }

  @Test
  void shouldGiveARealTokenTheSameStateWhateverPaddingFollows() {
    var block = initialized(TINY);
    long[] text = {2, 17, 5, 3};

    float[] alone = forward(block, text, new long[] {1, 1, 1, 1}, 1, 4);
    // The same text padded to 7 tokens in a batch with a longer text.
    long[] ids = {2, 17, 5, 3, 0, 0, 0, 2, 9, 9, 8, 7, 6, 3};
    long[] mask = {1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1};
    float[] batched = forward(block, ids, mask, 2, 7);

    for (int i = 0; i < alone.length; i++) {
      assertThat(batched[i]).isCloseTo(alone[i], within(1e-5f));
    }
  }

  @Test
  void shouldComputeTheSameAfterSavingAndLoadingItsParameters() throws Exception {
    var block = initialized(TINY);
    long[] ids = {2, 11, 12, 3, 2, 30, 3, 0};
    long[] mask = {1, 1, 1, 1, 1, 1, 1, 0};
    var bytes = new ByteArrayOutputStream();
    try (var out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    }

    var loaded = new BertEncoderBlock(TINY);
    try (var in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      loaded.loadParameters(manager, in);
    }

    assertThat(forward(loaded, ids, mask, 2, 4)).containsExactly(forward(block, ids, mask, 2, 4));
  }

  @Test
  void shouldRefuseParametersSavedFromAnotherShape() throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new DataOutputStream(bytes)) {
      initialized(TINY).saveParameters(out);
    }
    var wider = new BertConfig(40, 32, 2, 4, 32, 12, 2, 1e-12f, 0.1f, 0.1f);

    assertThatThrownBy(
            () -> {
              try (var in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                new BertEncoderBlock(wider).loadParameters(manager, in);
              }
            })
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("hidden=16")
        .hasMessageContaining("hidden=32");
  }

  @Test
  void shouldRefuseInputLongerThanItsPositionTable() {
    var block = initialized(TINY);
    int length = TINY.maxPositions() + 1;

    assertThatThrownBy(() -> forward(block, new long[length], ones(length), 1, length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("13 tokens");
  }

  @Test
  void shouldRefuseInputsThatAreNotIdsAndMask() {
    var block = initialized(TINY);
    try (var scope = manager.newSubManager()) {
      var ids = scope.create(new long[] {2, 3}, new Shape(1, 2));
      var store = new ParameterStore(scope, false);

      assertThatThrownBy(() -> block.forward(store, new NDList(ids), false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("input_ids, attention_mask");
      var mask = scope.create(new long[] {1, 1, 1}, new Shape(1, 3));
      assertThatThrownBy(() -> block.forward(store, new NDList(ids, mask), false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(1, 3)");
    }
  }

  private static BertEncoderBlock initialized(BertConfig config) {
    var block = new BertEncoderBlock(config);
    PretrainedBert.initialize(block, manager);
    return block;
  }

  private static float[] forward(
      BertEncoderBlock block, long[] ids, long[] mask, int rows, int width) {
    try (var scope = manager.newSubManager()) {
      var shape = new Shape(rows, width);
      var inputs = new NDList(scope.create(ids, shape), scope.create(mask, shape));
      return block.forward(new ParameterStore(scope, false), inputs, false).head().toFloatArray();
    }
  }

  private static long[] ones(int length) {
    var ones = new long[length];
    Arrays.fill(ones, 1L);
    return ones;
  }
}
