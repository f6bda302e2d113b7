package io.distillery.students;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code hashed-linear} kind: hashed word uni- and bigrams into a multinomial logistic
 * regression ({@link HashedLinearTrainer}, {@link HashedLinearStudent}). Its files: DJL's parameter
 * file of the {@link SparseLinearBlock}.
 */
public final class HashedLinearKind implements StudentKind {

  private static final String PARAMS = "student";

  static {
    DjlEnvironment.offline();
  }

  private final TrainingSettings settings;

  public HashedLinearKind(TrainingSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return HashedLinearStudent.KIND;
  }

  @Override
  public TrainedStudent train(
      List<LabeledExample> examples, List<String> labels, long seed, TrainingProgress progress) {
    return HashedLinearTrainer.train(examples, labels, settings.withSeed(seed), progress);
  }

  @Override
  public Map<String, String> save(Student student, Path dir) throws IOException {
    if (!(student instanceof HashedLinearStudent hashed)) {
      throw new IllegalArgumentException("not a " + name() + " student: " + student.kind());
    }
    var block = new SparseLinearBlock(hashed.featurizer().buckets(), hashed.labels().size());
    try (Model model = Model.newInstance(PARAMS, "PyTorch")) {
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1), new Shape(1, 1));
      var params = block.getParameters();
      params.get("weight").getArray().set(hashed.weights());
      params.get("bias").getArray().set(hashed.biases());
      model.save(dir, PARAMS);
    }
    return hashed.featurizer().settings();
  }

  @Override
  public Student load(Path dir, List<String> labels, Map<String, String> settings)
      throws IOException {
    var featurizer = HashedFeaturizer.fromSettings(settings);
    var block = new SparseLinearBlock(featurizer.buckets(), labels.size());
    try (Model model = Model.newInstance(PARAMS, "PyTorch")) {
      model.setBlock(block);
      model.load(dir, PARAMS);
      return new HashedLinearStudent(featurizer, labels, block.weights(), block.biases());
    } catch (MalformedModelException | IllegalArgumentException e) {
      throw new IOException("malformed " + name() + " model in " + dir + ": " + e.getMessage(), e);
    }
  }
}
