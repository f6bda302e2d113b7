package io.distillery.students;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code transformer-finetune} kind: full fine-tuning of a user-supplied pretrained encoder (a
 * TorchScript export of BERT, DistilBERT or RoBERTa with its {@code tokenizer.json}) with a linear
 * classification head, the students of Pangakis &amp; Wolken. No weights ship with Distillery;
 * {@code docs/transformer-student.md} says how to export them. Its files: the fine-tuned encoder
 * ({@value TorchScriptEncoder#ARTIFACT_FILE}, TorchScript), the head ({@value
 * TransformerStudent#HEAD_FILE}, DJL parameters) and the tokenizer ({@value
 * TransformerTokenizer#FILE}): an artifact needs nothing from the user's directory.
 */
public final class TransformerFinetuneKind implements StudentKind {

  /** Setting: tokens per text. */
  static final String MAX_LENGTH = "max-length";

  /** Setting: {@code cls} or {@code mean}. */
  static final String POOLING = "pooling";

  /** Setting: the encoder's hidden size, checked on load. */
  static final String HIDDEN = "hidden";

  static {
    DjlEnvironment.offline();
  }

  private final TransformerSettings settings;

  public TransformerFinetuneKind(TransformerSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return TransformerStudent.KIND;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when no encoder directory is set, its files are missing or
   *     unusable, or a label is not in {@code labels}
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
    var parts =
        Parts.open(
            dir.resolve(TorchScriptEncoder.ARTIFACT_FILE),
            dir.resolve(TransformerTokenizer.FILE),
            labels.size(),
            maxLength,
            pooling,
            Devices.choose().device());
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
      return parts.student(labels);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      parts.close();
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException("malformed " + name() + " model in " + dir + ": " + e.getMessage(), e);
    }
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
   */
  record Parts(
      Model model,
      EncoderClassifierBlock block,
      TransformerTokenizer tokenizer,
      byte[] tokenizerJson,
      Pooling pooling,
      int hidden) {

    /**
     * Loads the encoder and tokenizer and puts an uninitialised head of {@code classes} outputs on
     * top.
     */
    static Parts open(
        Path encoderFile,
        Path tokenizerFile,
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
        return new Parts(model, block, tokenizer, tokenizerJson, pooling, encoder.hidden());
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
      return new TransformerStudent(
          model, block, tokenizer, tokenizerJson, labels, pooling, hidden);
    }

    void close() {
      tokenizer.close();
      model.close();
    }
  }
}
