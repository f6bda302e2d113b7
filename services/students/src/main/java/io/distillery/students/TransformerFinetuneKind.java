package io.distillery.students;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import io.distillery.students.bert.BertConfig;
import io.distillery.students.bert.BertEncoderBlock;
import io.distillery.students.bert.PretrainedBert;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code transformer-finetune} kind: full fine-tuning of a pretrained encoder with a linear
 * classification head, the students of Pangakis &amp; Wolken. By default the encoder is
 * all-MiniLM-L6-v2, which ships with Distillery through Maven Central: a Hugging Face BERT built
 * from DJL blocks ({@link BertEncoderBlock}) with the weights of its fp32 ONNX export. A user's own
 * TorchScript export (BERT, DistilBERT, RoBERTa with its {@code tokenizer.json}) is the other
 * choice; {@code docs/transformer-student.md} says how to make one.
 *
 * <p>An artifact needs nothing from the user's directory or the jar: the fine-tuned encoder
 * ({@value #BERT_FILE}, DJL parameters, with its shape in the settings; or {@value
 * TorchScriptEncoder#ARTIFACT_FILE}, TorchScript), the head ({@value TransformerStudent#HEAD_FILE},
 * DJL parameters) and the tokenizer ({@value TransformerTokenizer#FILE}).
 */
public final class TransformerFinetuneKind implements StudentKind {

  /** Setting: tokens per text. */
  static final String MAX_LENGTH = "max-length";

  /** Setting: {@code cls} or {@code mean}. */
  static final String POOLING = "pooling";

  /** Setting: the encoder's hidden size, checked on load. */
  static final String HIDDEN = "hidden";

  /** Setting: how the encoder is stored, {@value #BERT} or {@value #TORCHSCRIPT} (the default). */
  static final String ENCODER = "encoder";

  /** Setting: the pretrained model the encoder started from. */
  static final String ENCODER_MODEL = "encoder-model";

  /**
   * Setting, a record only: the temperature the head was divided by after training ({@link
   * Calibration}); loading reads nothing from it, since the head's parameters already hold it.
   */
  static final String CALIBRATION_TEMPERATURE = "calibration-temperature";

  /** {@link #ENCODER} of an encoder built from DJL blocks. */
  static final String BERT = "bert";

  /** {@link #ENCODER} of a TorchScript encoder; artifacts without the setting are these. */
  static final String TORCHSCRIPT = "torchscript";

  /** The fine-tuned {@link BertEncoderBlock}'s parameter file in an artifact. */
  static final String BERT_FILE = "encoder.params";

  static {
    DjlEnvironment.offline();
  }

  private final TransformerSettings settings;

  public TransformerFinetuneKind(TransformerSettings settings) {
    this.settings = settings;
  }

  /** How this kind fine-tunes. */
  public TransformerSettings settings() {
    return settings;
  }

  @Override
  public String name() {
    return TransformerStudent.KIND;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the encoder directory set is missing files or unusable,
   *     or a label is not in {@code labels}
   */
  @Override
  public TrainedStudent train(
      List<LabeledExample> examples, List<String> labels, long seed, TrainingProgress progress) {
    return TransformerTrainer.train(examples, labels, settings.withSeed(seed), progress);
  }

  @Override
  public Map<String, String> save(Student student, Path dir) throws IOException {
    if (!(student instanceof TransformerStudent transformer)) {
      throw new IllegalArgumentException("not a " + name() + " student: " + student.kind());
    }
    return transformer.writeTo(dir);
  }

  @Override
  public Student load(Path dir, List<String> labels, Map<String, String> settings)
      throws IOException {
    int maxLength = intSetting(settings, MAX_LENGTH, dir);
    int hidden = intSetting(settings, HIDDEN, dir);
    Pooling pooling;
    try {
      pooling = Pooling.fromSetting(settings.getOrDefault(POOLING, ""));
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed " + name() + " settings in " + dir + ": " + e.getMessage());
    }
    var head = dir.resolve(TransformerStudent.HEAD_FILE);
    if (!Files.isRegularFile(head)) {
      throw new IOException("missing " + TransformerStudent.HEAD_FILE + " in " + dir);
    }
    var parts = Parts.fromArtifact(dir, settings, labels.size(), maxLength, pooling);
    try {
      if (parts.hidden() != hidden) {
        throw new IOException(
            "the encoder in "
                + dir
                + " has hidden size "
                + parts.hidden()
                + ", expected "
                + hidden);
      }
      try (var in = new DataInputStream(Files.newInputStream(head))) {
        parts.block().head().loadParameters(parts.model().getNDManager(), in);
      }
      var weight = parts.block().head().getParameters().get("weight").getArray().getShape();
      if (weight.get(0) != labels.size() || weight.get(1) != hidden) {
        throw new IOException(
            "the head in "
                + dir
                + " has shape "
                + weight
                + ", expected ("
                + labels.size()
                + ", "
                + hidden
                + ")");
      }
      if (parts.block().encoder() instanceof BertEncoderBlock bert) {
        var shipped = PretrainedBert.find(parts.encoderModel());
        if (shipped.isPresent() && bert.config().equals(shipped.get().config())) {
          return served(parts, bert, shipped.get(), labels);
        }
      }
      return parts.student(labels);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      parts.close();
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException("malformed " + name() + " model in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The shipped encoder, fine-tuned, served by ONNX Runtime: its ONNX graph with these weights, the
   * head in Java. The DJL model is closed; the tokenizer passes to the new student.
   */
  private static Student served(
      Parts parts, BertEncoderBlock bert, PretrainedBert shipped, List<String> labels)
      throws IOException {
    var onnx = shipped.onnxWith(bert);
    var params = parts.block().head().getParameters();
    var weight = params.get("weight").getArray();
    int classes = Math.toIntExact(weight.getShape().get(0));
    int hidden = Math.toIntExact(weight.getShape().get(1));
    float[] flat = weight.toFloatArray();
    var rows = new float[classes][hidden];
    for (int k = 0; k < classes; k++) {
      System.arraycopy(flat, k * hidden, rows[k], 0, hidden);
    }
    float[] bias = params.get("bias").getArray().toFloatArray();
    var student =
        new OnnxTransformerStudent(onnx, parts.tokenizer(), labels, parts.pooling(), rows, bias);
    parts.model().close();
    return student;
  }

  private int intSetting(Map<String, String> settings, String key, Path dir) throws IOException {
    var value = settings.get(key);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IOException(
          "malformed " + name() + " settings in " + dir + ": " + key + " is '" + value + "'");
    }
  }

  /**
   * An encoder, its tokenizer and a head, assembled on one device; training and loading both start
   * here.
   *
   * @param encoderModel the pretrained model the encoder started from, for the manifest
   */
  record Parts(
      Model model,
      EncoderClassifierBlock block,
      TransformerTokenizer tokenizer,
      byte[] tokenizerJson,
      Pooling pooling,
      int hidden,
      String encoderModel) {

    /**
     * The encoder to fine-tune: the shipped {@code pretrained} when {@code userExport} is null,
     * else the user's TorchScript export in that directory; an uninitialised head of {@code
     * classes} outputs on top.
     */
    static Parts forTraining(
        Path userExport,
        PretrainedBert pretrained,
        int classes,
        int maxLength,
        Pooling pooling,
        Device device)
        throws IOException {
      if (userExport == null) {
        var json = pretrained.tokenizerJson();
        return assemble(
            json,
            pretrained.modelName(),
            classes,
            maxLength,
            pooling,
            device,
            model -> pretrained.load(model.getNDManager()));
      }
      return torchScript(
          userExport.resolve(TorchScriptEncoder.USER_FILE),
          userExport.resolve(TransformerTokenizer.FILE),
          // The directory's name only: the manifest must not carry the user's paths.
          String.valueOf(userExport.toAbsolutePath().getFileName()),
          classes,
          maxLength,
          pooling,
          device);
    }

    /** The parts an artifact in {@code dir} describes, its encoder's weights loaded. */
    static Parts fromArtifact(
        Path dir, Map<String, String> settings, int classes, int maxLength, Pooling pooling)
        throws IOException {
      var device = Devices.choose().device();
      var kind = settings.getOrDefault(ENCODER, TORCHSCRIPT);
      var model = settings.getOrDefault(ENCODER_MODEL, "");
      if (kind.equals(TORCHSCRIPT)) {
        return torchScript(
            dir.resolve(TorchScriptEncoder.ARTIFACT_FILE),
            dir.resolve(TransformerTokenizer.FILE),
            model,
            classes,
            maxLength,
            pooling,
            device);
      }
      if (!kind.equals(BERT)) {
        throw new IOException(
            "malformed "
                + TransformerStudent.KIND
                + " settings in "
                + dir
                + ": encoder is '"
                + kind
                + "', expected "
                + BERT
                + " or "
                + TORCHSCRIPT);
      }
      BertConfig config;
      try {
        config = BertConfig.fromMap(settings);
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "malformed " + TransformerStudent.KIND + " settings in " + dir + ": " + e.getMessage(),
            e);
      }
      var weights = dir.resolve(BERT_FILE);
      if (!Files.isRegularFile(weights)) {
        throw new IOException("missing " + BERT_FILE + " in " + dir);
      }
      var tokenizer = dir.resolve(TransformerTokenizer.FILE);
      if (!Files.isRegularFile(tokenizer)) {
        throw new IOException("missing " + TransformerTokenizer.FILE + " in " + dir);
      }
      return assemble(
          Files.readAllBytes(tokenizer),
          model,
          classes,
          maxLength,
          pooling,
          device,
          m -> {
            var block = new BertEncoderBlock(config);
            PretrainedBert.initialize(block, m.getNDManager());
            try (var in = new DataInputStream(Files.newInputStream(weights))) {
              block.loadParameters(m.getNDManager(), in);
            } catch (MalformedModelException | RuntimeException e) {
              throw new IOException(
                  "malformed " + BERT_FILE + " in " + dir + ": " + e.getMessage(), e);
            }
            return block;
          });
    }

    /** Builds an encoder into a fresh PyTorch model. */
    @FunctionalInterface
    private interface EncoderFactory {
      BertEncoderBlock build(Model model) throws IOException;
    }

    private static Parts assemble(
        byte[] tokenizerJson,
        String encoderModel,
        int classes,
        int maxLength,
        Pooling pooling,
        Device device,
        EncoderFactory encoder)
        throws IOException {
      var tokenizer = TransformerTokenizer.open(tokenizerJson, encoderModel, maxLength);
      Model model = null;
      try {
        model = Model.newInstance(TransformerStudent.KIND, device, "PyTorch");
        var bert = encoder.build(model);
        int hidden = bert.config().hidden();
        var block = new EncoderClassifierBlock(bert, hidden, classes, pooling);
        model.setBlock(block);
        return new Parts(model, block, tokenizer, tokenizerJson, pooling, hidden, encoderModel);
      } catch (IOException | RuntimeException e) {
        tokenizer.close();
        if (model != null) {
          model.close();
        }
        throw e;
      }
    }

    private static Parts torchScript(
        Path encoderFile,
        Path tokenizerFile,
        String encoderModel,
        int classes,
        int maxLength,
        Pooling pooling,
        Device device)
        throws IOException {
      var tokenizer = TransformerTokenizer.open(tokenizerFile, maxLength);
      Model model = null;
      try {
        var tokenizerJson = Files.readAllBytes(tokenizerFile);
        model = Model.newInstance(TransformerStudent.KIND, device, "PyTorch");
        var encoder = TorchScriptEncoder.load(model, encoderFile);
        var block = new EncoderClassifierBlock(encoder.block(), encoder.hidden(), classes, pooling);
        model.setBlock(block);
        return new Parts(
            model, block, tokenizer, tokenizerJson, pooling, encoder.hidden(), encoderModel);
      } catch (IOException | RuntimeException e) {
        tokenizer.close();
        if (model != null) {
          model.close();
        }
        throw e;
      }
    }

    /** The student these parts make; it owns them from here on. */
    TransformerStudent student(List<String> labels) {
      return student(labels, 1);
    }

    /**
     * As {@link #student(List)}, its head already divided by the calibration {@code temperature},
     * which the artifact records.
     */
    TransformerStudent student(List<String> labels, double temperature) {
      return new TransformerStudent(
          model,
          block,
          tokenizer,
          tokenizerJson,
          labels,
          pooling,
          hidden,
          encoderModel,
          temperature);
    }

    void close() {
      tokenizer.close();
      model.close();
    }
  }
}
