package io.distillery.students;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes what a user exports from Hugging Face — {@code model.pt} (TorchScript) and {@code
 * tokenizer.json} — for a tiny, randomly initialised, one-layer BERT-like encoder, without Python.
 *
 * <p>No pretrained weights can be downloaded here, and DJL cannot trace a module from Java, so the
 * TorchScript archive is written by hand in the layout {@code torch.jit.save} produces: a zip whose
 * entries sit under one folder, {@code data.pkl} (the module object as a protocol-2 pickle whose
 * tensors point at {@code data/<n>} records), {@code constants.pkl}, {@code version}, and the
 * module's TorchScript source in {@code code/__torch__.py}. The forward has the signature the
 * {@code transformer-finetune} kind expects of a traced Hugging Face encoder: {@code (input_ids,
 * attention_mask)}, both int64 {@code [batch, seq]}, returning a tuple whose first element is the
 * last hidden state {@code [batch, seq, hidden]}.
 *
 * <p>The tokenizer is a BERT-style WordPiece tokenizer (lower-casing normaliser, BERT
 * pre-tokenizer, {@code [CLS] ... [SEP]} post-processor) over the given whole-word vocabulary.
 */
final class TinyBertExport {

  static final String PAD = "[PAD]";
  static final String UNK = "[UNK]";
  static final String CLS = "[CLS]";
  static final String SEP = "[SEP]";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CODE =
      """
      class TinyBert(Module):
        __parameters__ = [%s]
        __buffers__ = []
      %s  training : bool
        def forward(self, input_ids: Tensor, attention_mask: Tensor%s) -> Tuple[Tensor]:
          seq = torch.size(input_ids, 1)
          positions = torch.slice(self.position_embeddings, 0, 0, seq)
          x = torch.add(torch.embedding(self.word_embeddings, input_ids), positions)
          x = torch.layer_norm(x, [torch.size(x, 2)], self.embeddings_norm_weight, self.embeddings_norm_bias)
          q = torch.linear(x, self.query_weight, self.query_bias)
          k = torch.linear(x, self.key_weight, self.key_bias)
          v = torch.linear(x, self.value_weight, self.value_bias)
          scores = torch.mul(torch.matmul(q, torch.transpose(k, 1, 2)), %s)
          blocked = torch.mul(torch.rsub(torch.unsqueeze(torch.to(attention_mask, 6), 1), 1.), -10000.)
          attention = torch.softmax(torch.add(scores, blocked), -1)
          context = torch.linear(torch.matmul(attention, v), self.output_weight, self.output_bias)
          h = torch.layer_norm(torch.add(x, context), [torch.size(x, 2)], self.attention_norm_weight, self.attention_norm_bias)
          f = torch.linear(torch.gelu(torch.linear(h, self.intermediate_weight, self.intermediate_bias)), self.ffn_output_weight, self.ffn_output_bias)
          out = torch.layer_norm(torch.add(h, f), [torch.size(h, 2)], self.output_norm_weight, self.output_norm_bias)
          return (out,)
      """;

  private TinyBertExport() {}

  /**
   * Writes {@code model.pt} and {@code tokenizer.json} into {@code dir}.
   *
   * @param words the whole-word vocabulary, lower case; the special tokens are added in front
   * @param hidden the hidden size
   * @param maxPositions the longest sequence the position embeddings cover
   * @param seed seeds the random initialisation
   */
  static void write(Path dir, List<String> words, int hidden, int maxPositions, long seed)
      throws IOException {
    var vocabulary = new ArrayList<String>(List.of(PAD, UNK, CLS, SEP));
    words.stream().filter(w -> !vocabulary.contains(w)).forEach(vocabulary::add);
    Files.createDirectories(dir);
    writeTokenizer(dir.resolve("tokenizer.json"), vocabulary);
    writeModel(dir.resolve("model.pt"), vocabulary.size(), hidden, maxPositions, seed, false);
  }

  static void writeTokenizer(Path file, List<String> vocabulary) throws IOException {
    var vocab = new LinkedHashMap<String, Integer>();
    for (int i = 0; i < vocabulary.size(); i++) {
      vocab.put(vocabulary.get(i), i);
    }
    var added = new ArrayList<Map<String, Object>>();
    for (var special : List.of(PAD, UNK, CLS, SEP)) {
      added.add(
          Map.of(
              "id", vocab.get(special),
              "content", special,
              "single_word", false,
              "lstrip", false,
              "rstrip", false,
              "normalized", false,
              "special", true));
    }
    var tokenizer = new LinkedHashMap<String, Object>();
    tokenizer.put("version", "1.0");
    tokenizer.put("truncation", null);
    tokenizer.put("padding", null);
    tokenizer.put("added_tokens", added);
    tokenizer.put(
        "normalizer",
        Map.of(
            "type", "BertNormalizer",
            "clean_text", true,
            "handle_chinese_chars", true,
            "strip_accents", true,
            "lowercase", true));
    tokenizer.put("pre_tokenizer", Map.of("type", "BertPreTokenizer"));
    tokenizer.put(
        "post_processor",
        Map.of(
            "type",
            "TemplateProcessing",
            "single",
            List.of(
                Map.of("SpecialToken", Map.of("id", CLS, "type_id", 0)),
                Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
                Map.of("SpecialToken", Map.of("id", SEP, "type_id", 0))),
            "pair",
            List.of(
                Map.of("SpecialToken", Map.of("id", CLS, "type_id", 0)),
                Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
                Map.of("SpecialToken", Map.of("id", SEP, "type_id", 0)),
                Map.of("Sequence", Map.of("id", "B", "type_id", 1)),
                Map.of("SpecialToken", Map.of("id", SEP, "type_id", 1))),
            "special_tokens",
            Map.of(
                CLS, Map.of("id", CLS, "ids", List.of(vocab.get(CLS)), "tokens", List.of(CLS)),
                SEP, Map.of("id", SEP, "ids", List.of(vocab.get(SEP)), "tokens", List.of(SEP)))));
    tokenizer.put("decoder", Map.of("type", "WordPiece", "prefix", "##", "cleanup", true));
    tokenizer.put(
        "model",
        Map.of(
            "type",
            "WordPiece",
            "unk_token",
            UNK,
            "continuing_subword_prefix",
            "##",
            "max_input_chars_per_word",
            100,
            "vocab",
            vocab));
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), tokenizer);
  }

  private record Tensor(String name, int[] shape, float[] values) {}

  /**
   * Writes the encoder alone.
   *
   * @param tokenTypeIds whether forward takes a third input, {@code token_type_ids}, as a BERT
   *     traced with three example inputs does
   */
  static void writeModel(
      Path file, int vocabulary, int hidden, int maxPositions, long seed, boolean tokenTypeIds)
      throws IOException {

    var random = new Random(seed);
    int intermediate = 2 * hidden;
    var tensors = new ArrayList<Tensor>();
    tensors.add(normal("word_embeddings", random, vocabulary, hidden));
    tensors.add(normal("position_embeddings", random, maxPositions, hidden));
    norm(tensors, "embeddings_norm", hidden);
    for (var name : List.of("query", "key", "value", "output")) {
      tensors.add(normal(name + "_weight", random, hidden, hidden));
      tensors.add(zeros(name + "_bias", hidden));
    }
    norm(tensors, "attention_norm", hidden);
    tensors.add(normal("intermediate_weight", random, intermediate, hidden));
    tensors.add(zeros("intermediate_bias", intermediate));
    tensors.add(normal("ffn_output_weight", random, hidden, intermediate));
    tensors.add(zeros("ffn_output_bias", hidden));
    norm(tensors, "output_norm", hidden);

    var parameters = new StringBuilder();
    var annotations = new StringBuilder();
    for (var t : tensors) {
      parameters.append('"').append(t.name()).append("\", ");
      annotations.append("  ").append(t.name()).append(" : Tensor\n");
    }
    var code =
        CODE.formatted(
            parameters,
            annotations,
            tokenTypeIds ? ", token_type_ids: Tensor" : "",
            Float.toString((float) (1 / Math.sqrt(hidden))));

    var data = new Pickle();
    data.global("__torch__", "TinyBert").emptyTuple().newObj().emptyDict().mark();
    data.string("training").bool(false);
    for (int i = 0; i < tensors.size(); i++) {
      data.string(tensors.get(i).name());
      data.tensor(Integer.toString(i), tensors.get(i).shape());
    }
    data.setItems().build();

    try (OutputStream os = Files.newOutputStream(file);
        var zip = new ZipOutputStream(os)) {
      stored(zip, "tiny/data.pkl", data.stop());
      stored(zip, "tiny/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
      stored(zip, "tiny/constants.pkl", new Pickle().emptyTuple().stop());
      for (int i = 0; i < tensors.size(); i++) {
        var values = tensors.get(i).values();
        var bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        stored(zip, "tiny/data/" + i, bytes.array());
      }
      stored(zip, "tiny/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static Tensor normal(String name, Random random, int rows, int columns) {
    var values = new float[rows * columns];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 0.1);
    }
    return new Tensor(name, new int[] {rows, columns}, values);
  }

  private static Tensor zeros(String name, int size) {
    return new Tensor(name, new int[] {size}, new float[size]);
  }

  private static void norm(List<Tensor> tensors, String name, int hidden) {
    var ones = new float[hidden];
    java.util.Arrays.fill(ones, 1f);
    tensors.add(new Tensor(name + "_weight", new int[] {hidden}, ones));
    tensors.add(zeros(name + "_bias", hidden));
  }

  private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    var entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    var crc = new CRC32();
    crc.update(bytes);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }

  /** The few pickle protocol-2 opcodes a TorchScript archive's module object needs. */
  private static final class Pickle {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickle() {
      out.write(0x80); // PROTO
      out.write(2);
    }

    Pickle global(String module, String name) {
      out.write('c');
      out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    Pickle mark() {
      out.write('(');
      return this;
    }

    Pickle tuple() {
      out.write('t');
      return this;
    }

    Pickle emptyTuple() {
      out.write(')');
      return this;
    }

    Pickle emptyDict() {
      out.write('}');
      return this;
    }

    Pickle setItems() {
      out.write('u');
      return this;
    }

    Pickle newObj() {
      out.write(0x81);
      return this;
    }

    Pickle build() {
      out.write('b');
      return this;
    }

    Pickle reduce() {
      out.write('R');
      return this;
    }

    Pickle bool(boolean value) {
      out.write(value ? 0x88 : 0x89);
      return this;
    }

    Pickle integer(int value) {
      out.write('J');
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
      return this;
    }

    Pickle string(String value) {
      var bytes = value.getBytes(StandardCharsets.UTF_8);
      out.write('X');
      out.writeBytes(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
      out.writeBytes(bytes);
      return this;
    }

    /**
     * A float32 parameter whose contiguous storage is record {@code data/<key>}: {@code
     * torch._utils._rebuild_tensor_v2(storage, 0, shape, stride, True, OrderedDict())}.
     */
    Pickle tensor(String key, int[] shape) {
      int numel = 1;
      for (int d : shape) {
        numel *= d;
      }
      global("torch._utils", "_rebuild_tensor_v2").mark();
      mark().string("storage").global("torch", "FloatStorage").string(key).string("cpu");
      integer(numel).tuple();
      out.write('Q'); // BINPERSID
      integer(0);
      mark();
      for (int d : shape) {
        integer(d);
      }
      tuple().mark();
      int stride = numel;
      for (int d : shape) {
        stride /= d;
        integer(stride);
      }
      tuple().bool(true);
      global("collections", "OrderedDict").emptyTuple().reduce();
      return tuple().reduce();
    }

    byte[] stop() {
      out.write('.');
      return out.toByteArray();
    }
  }
}
