package io.distillery.students.bert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The weights and the node list of an ONNX model, read straight from its protobuf bytes: the
 * graph's float32 initializers by name, and every node's name, operator, inputs and outputs.
 * Initializers of other types (e.g. int64 {@code position_ids}) are left out.
 *
 * <p>Why a hand-written reader: ONNX Runtime's Java API runs a model but cannot hand out its
 * initializers, no ONNX protobuf classes are published on Maven Central, and {@code protobuf-java}
 * is not on this module's classpath. The few fields needed take a varint and length-delimited
 * reader of about a hundred lines. Field numbers (onnx.proto): {@code ModelProto.graph} 7; {@code
 * GraphProto.node} 1, {@code initializer} 5; {@code NodeProto.input} 1, {@code output} 2, {@code
 * name} 3, {@code op_type} 4; {@code TensorProto.dims} 1, {@code data_type} 2, {@code float_data}
 * 4, {@code name} 8, {@code raw_data} 9 (little-endian), {@code data_location} 14.
 *
 * @param initializers the float32 initializers by name, in file order
 * @param nodes the graph's nodes, in file order
 */
public record OnnxGraph(Map<String, Tensor> initializers, List<Node> nodes) {

  private static final int FLOAT = 1;
  private static final int EXTERNAL = 1;

  /** Wraps the maps unmodifiably (no copy: the tensors are large). */
  public OnnxGraph {
    initializers = Collections.unmodifiableMap(initializers);
    nodes = Collections.unmodifiableList(nodes);
  }

  /**
   * A float32 tensor. The data array is shared, not copied: treat it as read-only.
   *
   * @param name the initializer's name
   * @param dims its shape
   * @param data its values, row-major
   * @param rawOffset where its {@code raw_data} (little-endian float32) starts in the file's bytes,
   *     so the weights can be replaced in place; -1 when the values were stored otherwise
   */
  public record Tensor(String name, long[] dims, float[] data, int rawOffset) {

    /** A tensor not read from a file's {@code raw_data}. */
    public Tensor(String name, long[] dims, float[] data) {
      this(name, dims, data, -1);
    }
  }

  /**
   * A graph node.
   *
   * @param name e.g. {@code /encoder/layer.0/attention/self/query/MatMul}
   * @param opType e.g. {@code MatMul}
   * @param inputs the names of its inputs, in order
   * @param outputs the names of its outputs, in order
   */
  public record Node(String name, String opType, List<String> inputs, List<String> outputs) {}

  /** The node called {@code name}, if there is one. */
  public Optional<Node> node(String name) {
    return nodes.stream().filter(node -> node.name().equals(name)).findFirst();
  }

  /** Reads a whole ONNX file from {@code in} (which stays open). */
  public static OnnxGraph read(InputStream in) throws IOException {
    return read(in.readAllBytes());
  }

  /**
   * Reads an ONNX file's bytes.
   *
   * @throws IOException when the bytes are no ONNX model, or a float tensor's data is stored
   *     outside the file or does not fill its shape
   */
  public static OnnxGraph read(byte[] model) throws IOException {
    var initializers = new LinkedHashMap<String, Tensor>();
    var nodes = new ArrayList<Node>();
    var top = new Reader(model, 0, model.length);
    boolean graphSeen = false;
    while (top.more()) {
      int tag = top.tag();
      if (tag >>> 3 == 7 && (tag & 7) == 2) {
        graphSeen = true;
        var graph = top.message();
        while (graph.more()) {
          int field = graph.tag();
          if (field >>> 3 == 1 && (field & 7) == 2) {
            nodes.add(node(graph.message()));
          } else if (field >>> 3 == 5 && (field & 7) == 2) {
            var tensor = tensor(graph.message());
            if (tensor != null) {
              initializers.put(tensor.name(), tensor);
            }
          } else {
            graph.skip(field);
          }
        }
      } else {
        top.skip(tag);
      }
    }
    if (!graphSeen) {
      throw new IOException("not an ONNX model: no graph (ModelProto field 7)");
    }
    return new OnnxGraph(initializers, nodes);
  }

  private static Node node(Reader in) throws IOException {
    var inputs = new ArrayList<String>();
    var outputs = new ArrayList<String>();
    String name = "";
    String opType = "";
    while (in.more()) {
      int tag = in.tag();
      switch (tag) {
        case (1 << 3) | 2 -> inputs.add(in.string());
        case (2 << 3) | 2 -> outputs.add(in.string());
        case (3 << 3) | 2 -> name = in.string();
        case (4 << 3) | 2 -> opType = in.string();
        default -> in.skip(tag);
      }
    }
    return new Node(name, opType, List.copyOf(inputs), List.copyOf(outputs));
  }

  /** The tensor, or null when it is not float32. */
  private static Tensor tensor(Reader in) throws IOException {
    var dims = new ArrayList<Long>();
    long dataType = 0;
    long location = 0;
    String name = "";
    Reader raw = null;
    var floats = new ArrayList<Reader>();
    var loose = new ArrayList<Float>();
    while (in.more()) {
      int tag = in.tag();
      switch (tag) {
        case (1 << 3) -> dims.add(in.varint());
        case (1 << 3) | 2 -> {
          var packed = in.message();
          while (packed.more()) {
            dims.add(packed.varint());
          }
        }
        case (2 << 3) -> dataType = in.varint();
        case (4 << 3) | 2 -> floats.add(in.message());
        case (4 << 3) | 5 -> loose.add(Float.intBitsToFloat(in.fixed32()));
        case (8 << 3) | 2 -> name = in.string();
        case (9 << 3) | 2 -> raw = in.message();
        case (14 << 3) -> location = in.varint();
        default -> in.skip(tag);
      }
    }
    if (dataType != FLOAT) {
      return null;
    }
    if (location == EXTERNAL) {
      throw new IOException(
          "initializer " + name + " keeps its data in an external file, which is not supported");
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    long size = 1;
    for (long dim : shape) {
      size *= dim;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IOException("initializer " + name + " is too large: " + size + " values");
    }
    float[] data;
    int rawOffset = -1;
    if (raw != null) {
      rawOffset = raw.position;
      data = raw.floats();
    } else {
      var all = new ArrayList<Float>(loose);
      for (var packed : floats) {
        for (float value : packed.floats()) {
          all.add(value);
        }
      }
      data = new float[all.size()];
      for (int i = 0; i < data.length; i++) {
        data[i] = all.get(i);
      }
    }
    if (data.length != size) {
      throw new IOException(
          "initializer "
              + name
              + " has "
              + data.length
              + " values for shape "
              + Arrays.toString(shape));
    }
    return new Tensor(name, shape, data, rawOffset);
  }

  /** Reads protobuf's wire format from {@code bytes[position, end)}. */
  private static final class Reader {

    private final byte[] bytes;
    private final int end;
    private int position;

    Reader(byte[] bytes, int start, int end) {
      this.bytes = bytes;
      this.position = start;
      this.end = end;
    }

    boolean more() {
      return position < end;
    }

    int tag() throws IOException {
      long tag = varint();
      if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
        throw malformed("a field tag of " + tag);
      }
      return (int) tag;
    }

    long varint() throws IOException {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw malformed("a varint cut short");
        }
        byte b = bytes[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw malformed("a varint longer than ten bytes");
    }

    int fixed32() throws IOException {
      require(4);
      int value = ByteBuffer.wrap(bytes, position, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      position += 4;
      return value;
    }

    /** The next length-delimited field, as a reader of its bytes. */
    Reader message() throws IOException {
      long length = varint();
      if (length < 0 || length > end - position) {
        throw malformed("a field of " + length + " bytes with " + (end - position) + " left");
      }
      int start = position;
      position += (int) length;
      return new Reader(bytes, start, position);
    }

    String string() throws IOException {
      var field = message();
      return new String(bytes, field.position, field.end - field.position, StandardCharsets.UTF_8);
    }

    /** All remaining bytes as little-endian floats. */
    float[] floats() throws IOException {
      int length = end - position;
      if (length % Float.BYTES != 0) {
        throw malformed("float data of " + length + " bytes");
      }
      var values = new float[length / Float.BYTES];
      ByteBuffer.wrap(bytes, position, length)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(values);
      position = end;
      return values;
    }

    void skip(int tag) throws IOException {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> message();
        case 5 -> advance(4);
        default -> throw malformed("wire type " + (tag & 7) + " (field " + (tag >>> 3) + ")");
      }
    }

    private void advance(int count) throws IOException {
      require(count);
      position += count;
    }

    private void require(int count) throws IOException {
      if (end - position < count) {
        throw malformed("a field cut short");
      }
    }

    private static IOException malformed(String what) {
      return new IOException("not an ONNX model: " + what);
    }
  }
}
