package io.distillery.students.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.students.DjlEnvironment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java encoder with each shipped encoder's pretrained weights (all-MiniLM-L6-v2, and
 * bge-small-en-v1.5 for the parity) computes what ONNX Runtime computes from the same fp32 file, on
 * real texts in padded batches.
 */
class BertEncoderParityTest {

  private static final Path DATASETS =
      Path.of(System.getProperty("distillery.datasets", "../../../shared/datasets"));
  private static final int TEXTS_PER_DATASET = 50;
  private static final int BATCH = 10;
  private static final int MAX_TOKENS = 128;
  private static final double TOLERANCE = 1e-4;

  private static final PretrainedBert MODEL = PretrainedBert.MINILM_L6_V2;
  private static final int HIDDEN = MODEL.config().hidden();

  @TempDir static Path onnxDir;

  private static NDManager torch;
  private static OnnxGraph graph;
  private static BertEncoderBlock encoder;
  private static List<Batch> batches;

  /** Padded token ids of a few texts. */
  record Batch(long[] ids, long[] mask, int rows, int width) {

    Shape shape() {
      return new Shape(rows, width);
    }
  }

  @BeforeAll
  static void loadEncoder() throws IOException {
    DjlEnvironment.offline();
    // Before anything else touches ONNX Runtime (DESIGN.md, Pitfalls).
    Engine.getEngine("OnnxRuntime");
    torch = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    graph = MODEL.readGraph();
    encoder = new BertEncoderBlock(MODEL.config());
    PretrainedBert.initialize(encoder, torch);
    PretrainedBert.copyWeights(graph, encoder);
    batches = tokenize(MODEL, texts());
  }

  @AfterAll
  static void close() {
    torch.close();
  }

  /** Every shipped encoder: all-MiniLM-L6-v2 (the default) and bge-small-en-v1.5. */
  static List<String> shipped() {
    return PretrainedBert.SHIPPED.stream().map(PretrainedBert::modelName).toList();
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void shouldMatchOnnxRuntimeOnAHundredRealTextsInPaddedBatches(String name) throws Exception {
    var model = PretrainedBert.named(name);
    if (model.equals(MODEL)) {
      parity(model, encoder, batches);
      return;
    }
    try (var manager = torch.newSubManager()) {
      var other = new BertEncoderBlock(model.config());
      PretrainedBert.initialize(other, manager);
      PretrainedBert.copyWeights(model.readGraph(), other);
      parity(model, other, tokenize(model, texts()));
    }
  }

  private static void parity(PretrainedBert model, BertEncoderBlock encoder, List<Batch> batches)
      throws Exception {
    var dir = Files.createDirectories(onnxDir.resolve(model.modelName()));
    try (var in = model.openOnnx()) {
      Files.copy(in, dir.resolve("model.onnx"));
    }
    var criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optEngine("OnnxRuntime")
            .optDevice(Device.cpu())
            .optModelPath(dir)
            .optModelName("model")
            .optTranslator(new NoopTranslator())
            .build();
    double rawDiff = 0;
    double paddingDiff = 0;
    double pooledDiff = 0;
    int texts = 0;
    long javaNanos = 0;
    long onnxNanos = 0;
    boolean padded = false;
    try (ZooModel<NDList, NDList> onnx = criteria.loadModel();
        var predictor = onnx.newPredictor()) {
      for (var batch : batches) {
        long start = System.nanoTime();
        float[] expected;
        try (var manager = onnx.getNDManager().newSubManager()) {
          var ids = manager.create(batch.ids(), batch.shape());
          ids.setName("input_ids");
          var mask = manager.create(batch.mask(), batch.shape());
          mask.setName("attention_mask");
          var types = manager.zeros(batch.shape(), ids.getDataType());
          types.setName("token_type_ids");
          var out = predictor.predict(new NDList(ids, mask, types)).get("last_hidden_state");
          assertThat(out).as("ONNX output last_hidden_state").isNotNull();
          assertThat(out.getShape()).isEqualTo(new Shape(batch.rows(), batch.width(), HIDDEN));
          expected = out.toFloatArray();
        }
        onnxNanos += System.nanoTime() - start;
        start = System.nanoTime();
        float[] actual = forward(encoder, batch, false);
        javaNanos += System.nanoTime() - start;

        for (int row = 0; row < batch.rows(); row++) {
          var expectedMean = new double[HIDDEN];
          var actualMean = new double[HIDDEN];
          int tokens = 0;
          for (int column = 0; column < batch.width(); column++) {
            boolean real = batch.mask()[row * batch.width() + column] == 1;
            padded |= !real;
            int offset = (row * batch.width() + column) * HIDDEN;
            for (int d = 0; d < HIDDEN; d++) {
              double diff = Math.abs(actual[offset + d] - expected[offset + d]);
              if (real) {
                rawDiff = Math.max(rawDiff, diff);
                expectedMean[d] += expected[offset + d];
                actualMean[d] += actual[offset + d];
              } else {
                paddingDiff = Math.max(paddingDiff, diff);
              }
            }
            tokens += real ? 1 : 0;
          }
          for (int d = 0; d < HIDDEN; d++) {
            pooledDiff = Math.max(pooledDiff, Math.abs(actualMean[d] - expectedMean[d]) / tokens);
          }
          texts++;
        }
      }
    }
    System.out.printf(
        "%s parity on %d texts: max |diff| mean-pooled %.3g, last_hidden_state %.3g (padding"
            + " positions %.3g); Java %.0f ms, ONNX Runtime %.0f ms%n",
        model.modelName(),
        texts,
        pooledDiff,
        rawDiff,
        paddingDiff,
        javaNanos / 1e6,
        onnxNanos / 1e6);
    assertThat(texts).isEqualTo(2 * TEXTS_PER_DATASET);
    assertThat(padded).as("some batch has padding").isTrue();
    assertThat(pooledDiff).isLessThanOrEqualTo(TOLERANCE);
    assertThat(rawDiff).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void shouldApplyDropoutOnlyWhenTraining() {
    var batch = batches.get(0);
    float[] inference = forward(batch, false);

    assertThat(forward(batch, false)).containsExactly(inference);
    float[] training = forward(batch, true);
    assertThat(training).hasSameSizeAs(inference);
    assertThat(maxDiff(training, inference)).isGreaterThan(1e-2);
  }

  @Test
  void shouldGiveEveryPretrainedParameterAGradient() {
    var batch = batches.get(0);
    synchronized (Engine.getEngine("PyTorch")) {
      try (var manager = torch.newSubManager();
          var collector = manager.getEngine().newGradientCollector()) {
        var store = new ParameterStore(manager, false);
        var inputs =
            new NDList(
                manager.create(batch.ids(), batch.shape()),
                manager.create(batch.mask(), batch.shape()));
        var states = encoder.forward(store, inputs, true).head();
        // A fixed random projection: a plain sum of LayerNorm outputs has no gradient.
        var weights = manager.randomNormal(states.getShape());
        collector.backward(states.mul(weights).sum());

        for (var parameter : encoder.huggingFaceParameters().entrySet()) {
          var array = parameter.getValue().getArray();
          assertThat(array.hasGradient()).as(parameter.getKey()).isTrue();
          assertThat(array.getGradient().abs().sum().getFloat())
              .as("gradient of " + parameter.getKey())
              .isGreaterThan(0f);
        }
      }
    }
  }

  @Test
  void shouldRefuseAnExportWithoutOneOfTheWeights() {
    var missingBias = new LinkedHashMap<>(graph.initializers());
    missingBias.remove("encoder.layer.3.output.LayerNorm.bias");
    var withoutNode =
        graph.nodes().stream()
            .filter(node -> !node.name().equals("/encoder/layer.5/intermediate/dense/MatMul"))
            .toList();
    var wrongShape = new LinkedHashMap<>(graph.initializers());
    wrongShape.put(
        "embeddings.token_type_embeddings.weight",
        new OnnxGraph.Tensor(
            "embeddings.token_type_embeddings.weight", new long[] {1, HIDDEN}, new float[HIDDEN]));

    try (var manager = torch.newSubManager()) {
      var block = new BertEncoderBlock(MODEL.config());
      PretrainedBert.initialize(block, manager);

      assertThatThrownBy(
              () -> PretrainedBert.copyWeights(new OnnxGraph(missingBias, graph.nodes()), block))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("encoder.layer.3.output.LayerNorm.bias");
      assertThatThrownBy(
              () ->
                  PretrainedBert.copyWeights(
                      new OnnxGraph(graph.initializers(), withoutNode), block))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("/encoder/layer.5/intermediate/dense/MatMul");
      assertThatThrownBy(
              () -> PretrainedBert.copyWeights(new OnnxGraph(wrongShape, graph.nodes()), block))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("embeddings.token_type_embeddings.weight")
          .hasMessageContaining("[1, 384]")
          .hasMessageContaining("[2, 384]");
    }
  }

  @Test
  void shouldReadTheExportsInitializersAndNodes() {
    assertThat(graph.initializers()).hasSize(101).doesNotContainKey("embeddings.position_ids");
    assertThat(graph.initializers().get("embeddings.word_embeddings.weight").dims())
        .containsExactly(30522, 384);
    var query = graph.node("/encoder/layer.0/attention/self/query/MatMul").orElseThrow();
    assertThat(query.opType()).isEqualTo("MatMul");
    assertThat(graph.initializers().get(query.inputs().get(1)).dims()).containsExactly(384, 384);
    assertThat(graph.nodes()).hasSize(637);
  }

  private static float[] forward(Batch batch, boolean training) {
    return forward(encoder, batch, training);
  }

  private static float[] forward(BertEncoderBlock encoder, Batch batch, boolean training) {
    try (var manager = torch.newSubManager()) {
      var inputs =
          new NDList(
              manager.create(batch.ids(), batch.shape()),
              manager.create(batch.mask(), batch.shape()));
      var out = encoder.forward(new ParameterStore(manager, false), inputs, training).head();
      assertThat(out.getShape()).isEqualTo(new Shape(batch.rows(), batch.width(), HIDDEN));
      return out.toFloatArray();
    }
  }

  private static double maxDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static List<String> texts() throws IOException {
    var json = new ObjectMapper();
    var texts = new ArrayList<String>();
    for (var dataset : List.of("movie-review-polarity", "global-warming-stance")) {
      try (var lines = Files.lines(DATASETS.resolve(dataset).resolve("data.jsonl"))) {
        for (var line : (Iterable<String>) lines.limit(TEXTS_PER_DATASET)::iterator) {
          texts.add(json.readTree(line).get("text").asText());
        }
      }
    }
    return texts;
  }

  private static List<Batch> tokenize(PretrainedBert model, List<String> texts) throws IOException {
    var options =
        Map.of(
            "addSpecialTokens", "true",
            "truncation", "true",
            "padding", "false",
            "maxLength", Integer.toString(MAX_TOKENS));
    var result = new ArrayList<Batch>();
    try (var tokenizer =
        HuggingFaceTokenizer.newInstance(
            new ByteArrayInputStream(model.tokenizerJson()), options)) {
      // Shuffled (fixed seed), so each batch mixes both datasets' lengths and pads its shorter
      // texts ([PAD] is id 0).
      var shuffled = new ArrayList<>(texts);
      Collections.shuffle(shuffled, new Random(13));
      for (int from = 0; from < shuffled.size(); from += BATCH) {
        var encoded = new ArrayList<long[]>();
        for (var text : shuffled.subList(from, Math.min(shuffled.size(), from + BATCH))) {
          encoded.add(tokenizer.encode(text).getIds());
        }
        result.add(pad(encoded));
      }
    }
    return result;
  }

  private static Batch pad(List<long[]> encoded) {
    int width = encoded.stream().mapToInt(ids -> ids.length).max().orElse(1);
    int rows = encoded.size();
    var ids = new long[rows * width];
    var mask = new long[rows * width];
    for (int row = 0; row < rows; row++) {
      var text = encoded.get(row);
      System.arraycopy(text, 0, ids, row * width, text.length);
      Arrays.fill(mask, row * width, row * width + text.length, 1L);
    }
    return new Batch(ids, mask, rows, width);
  }
}
