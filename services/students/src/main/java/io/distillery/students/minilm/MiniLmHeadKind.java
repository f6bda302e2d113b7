package io.distillery.students.minilm;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.distillery.students.Devices;
import io.distillery.students.DjlEnvironment;
import io.distillery.students.LabeledExample;
import io.distillery.students.Student;
import io.distillery.students.StudentKind;
import io.distillery.students.TrainedStudent;
import io.distillery.students.TrainingProgress;
import io.distillery.students.minilm.MiniLmHeadSettings.Head;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The {@code minilm-head} kind: frozen all-MiniLM-L6-v2 sentence vectors ({@link MiniLmEncoder})
 * into a small trained head, logistic or MLP ({@link MiniLmHeadSettings}). The encoder is never
 * trained, so a student's files are only the head's: DJL's parameter file of the {@link HeadBlock},
 * with the head's shape and the encoder's name in the settings.
 *
 * <p>Every text is embedded once: training embeds each distinct text once (not once per epoch), and
 * the process-wide encoder this kind uses by default keeps the last {@link
 * CachingEncoder#DEFAULT_CAPACITY} texts' vectors, shared by training runs and every student it
 * trains or loads.
 *
 * <p><b>One text per forward pass, not length-sorted batches.</b> The bundled model is dynamically
 * quantized: its int8 scales are computed over the whole input tensor, so a text's vector depends
 * on the texts batched with it. Measured on 600 movie-review sentences, batches of 32 sorted by
 * length ran 1.3 times faster, but not one vector equalled the text's solo vector (cosine 0.966 at
 * worst, 0.990 on average), and embedding the same texts again in another order reproduced only a
 * quarter of the vectors. A head must see in training the vectors it will see in the classifier,
 * which embeds one text at a time, and a cache is only sound if a text's vector is a function of
 * the text; so this kind embeds one text per pass (about 670 review sentences a second on 2 cores).
 *
 * <p>A training run's reported time includes embedding the texts the cache does not hold, which on
 * a CPU is most of it.
 */
public final class MiniLmHeadKind implements StudentKind {

  /** Settings key: {@code logistic} or {@code mlp}. */
  public static final String HEAD = "head";

  /** Settings key: hidden units of an MLP head, 0 for a logistic one. */
  public static final String HIDDEN = "hidden";

  /** Settings key: the encoder's model name, which a loading process's encoder must match. */
  public static final String ENCODER = "encoder";

  /** Settings key: the length of the encoder's vectors, the head's input. */
  public static final String DIMENSIONS = "dimensions";

  private static final Logger LOG = Logger.getLogger(MiniLmHeadKind.class);
  private static final String PARAMS = "head";
  private static final int EMBED_CHUNK = 500;

  static {
    DjlEnvironment.offline();
  }

  private static TextEncoder shared;

  private final MiniLmHeadSettings settings;
  private final Supplier<TextEncoder> encoder;

  /**
   * The kind on the process-wide MiniLM encoder, loaded on first use (about a second) with a cache
   * of {@link CachingEncoder#DEFAULT_CAPACITY} texts, and kept for the life of the process: every
   * student of this kind shares it. Constructing the kind loads nothing.
   */
  public MiniLmHeadKind(MiniLmHeadSettings settings) {
    this(settings, MiniLmHeadKind::sharedEncoder);
  }

  /**
   * The kind on {@code encoder}, which the caller keeps open while any student of this kind is in
   * use, and closes. It must give a text the same vector in any batch; wrap it in a {@link
   * CachingEncoder} to cache.
   */
  public MiniLmHeadKind(MiniLmHeadSettings settings, TextEncoder encoder) {
    this(settings, () -> encoder);
  }

  /**
   * The kind on a MiniLM encoder of its own, loaded on first use, that keeps the vectors of up to
   * {@code texts} texts (at least {@link CachingEncoder#DEFAULT_CAPACITY}): for a run that trains
   * many students on one set of that many distinct texts (the experiment), so each text is embedded
   * once per run however large the set. About 2 KB a text.
   */
  public static MiniLmHeadKind cachingAll(MiniLmHeadSettings settings, int texts) {
    int capacity = Math.max(CachingEncoder.DEFAULT_CAPACITY, texts);
    var encoder =
        new Supplier<TextEncoder>() {
          private TextEncoder loaded;

          @Override
          public synchronized TextEncoder get() {
            if (loaded == null) {
              loaded = new CachingEncoder(new MiniLmEncoder(), capacity);
            }
            return loaded;
          }
        };
    return new MiniLmHeadKind(settings, encoder);
  }

  private MiniLmHeadKind(MiniLmHeadSettings settings, Supplier<TextEncoder> encoder) {
    this.settings = settings;
    this.encoder = encoder;
  }

  @Override
  public String name() {
    return MiniLmHeadStudent.KIND;
  }

  @Override
  public TrainedStudent train(
      List<LabeledExample> examples, List<String> labels, long seed, TrainingProgress progress) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no training examples");
    }
    Map<String, Integer> labelIndex = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      labelIndex.put(labels.get(i), i);
    }
    var targets = new int[examples.size()];
    var textIndex = new LinkedHashMap<String, Integer>();
    var textOf = new int[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      var label = labelIndex.get(examples.get(i).label());
      if (label == null) {
        throw new IllegalArgumentException(
            "label '" + examples.get(i).label() + "' is not one of " + labels);
      }
      targets[i] = label;
      textOf[i] = textIndex.computeIfAbsent(examples.get(i).text(), t -> textIndex.size());
    }
    long start = System.nanoTime();
    float[][] distinct = embed(new ArrayList<>(textIndex.keySet()));
    var vectors = new float[examples.size()][];
    for (int i = 0; i < examples.size(); i++) {
      vectors[i] = distinct[textOf[i]];
    }
    var choice = Devices.choose();
    var head =
        HeadTrainer.train(
            vectors, targets, labels.size(), settings, seed, choice.device(), progress);
    long millis = (System.nanoTime() - start) / 1_000_000;
    var student = new MiniLmHeadStudent(labels, encoder.get(), head.weights());
    return new TrainedStudent(
        student,
        choice.device().toString(),
        choice.reason(),
        millis,
        examples.size(),
        head.finalLoss());
  }

  @Override
  public Map<String, String> save(Student student, Path dir) throws IOException {
    if (!(student instanceof MiniLmHeadStudent minilm)) {
      throw new IllegalArgumentException("not a " + name() + " student: " + student.kind());
    }
    var weights = minilm.head();
    var block = new HeadBlock(weights.head, weights.inputs, weights.hidden, weights.classes);
    // The CPU: the file is the same from any device, and saving needs no GPU memory.
    try (Model model = Model.newInstance(PARAMS, Device.cpu(), "PyTorch")) {
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, weights.inputs));
      block.set(weights);
      model.save(dir, PARAMS);
    }
    return Map.of(
        HEAD, weights.head.configName(),
        HIDDEN, Integer.toString(weights.hidden),
        ENCODER, minilm.encoderName(),
        DIMENSIONS, Integer.toString(weights.inputs));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IOException also when the artifact's head was trained on another encoder's vectors
   */
  @Override
  public Student load(Path dir, List<String> labels, Map<String, String> settings)
      throws IOException {
    Head head;
    int hidden;
    int dimensions;
    try {
      head = Head.parse(required(settings, HEAD, dir));
      hidden = Integer.parseInt(required(settings, HIDDEN, dir));
      dimensions = Integer.parseInt(required(settings, DIMENSIONS, dir));
    } catch (IllegalArgumentException e) {
      throw new IOException("bad " + name() + " settings in " + dir + ": " + e.getMessage(), e);
    }
    var textEncoder = encoder.get();
    var trainedOn = required(settings, ENCODER, dir);
    if (!trainedOn.equals(textEncoder.modelName())) {
      throw new IOException(
          "the head in "
              + dir
              + " was trained on "
              + trainedOn
              + " vectors, but this process embeds with "
              + textEncoder.modelName());
    }
    var block = new HeadBlock(head, dimensions, hidden, labels.size());
    try (Model model = Model.newInstance(PARAMS, Device.cpu(), "PyTorch")) {
      model.setBlock(block);
      model.load(dir, PARAMS);
      return new MiniLmHeadStudent(labels, textEncoder, block.weights());
    } catch (MalformedModelException | IllegalArgumentException | IllegalStateException e) {
      throw new IOException("malformed " + name() + " model in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Embeds {@code texts} in chunks, logging progress: a large training set takes minutes. */
  private float[][] embed(List<String> texts) {
    var textEncoder = encoder.get();
    var vectors = new float[texts.size()][];
    long start = System.nanoTime();
    for (int from = 0; from < texts.size(); from += EMBED_CHUNK) {
      int to = Math.min(texts.size(), from + EMBED_CHUNK);
      System.arraycopy(textEncoder.embed(texts.subList(from, to)), 0, vectors, from, to - from);
      double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
      LOG.infof(
          "training %s: embedded %d/%d distinct texts, %.0f texts/s",
          name(), Integer.valueOf(to), Integer.valueOf(texts.size()), Double.valueOf(to / seconds));
    }
    return vectors;
  }

  private static String required(Map<String, String> settings, String key, Path dir)
      throws IOException {
    var value = settings.get(key);
    if (value == null) {
      throw new IOException(
          "no '" + key + "' in the " + MiniLmHeadStudent.KIND + " settings of " + dir);
    }
    return value;
  }

  private static synchronized TextEncoder sharedEncoder() {
    if (shared == null) {
      shared = new CachingEncoder(new MiniLmEncoder(), CachingEncoder.DEFAULT_CAPACITY);
    }
    return shared;
  }
}
