package io.distillery.experiment;

import io.distillery.students.LabeledExample;
import io.distillery.students.SoftTargets.Distillation;
import io.distillery.students.Student;
import io.distillery.students.StudentKind;
import io.distillery.students.TrainedStudent;
import io.distillery.students.TrainingProgress;
import io.distillery.students.TransformerFinetuneKind;
import io.distillery.students.TransformerSettings;
import io.distillery.students.TransformerStudent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code transformer-finetune+soft}: the fine-tuned transformer under {@code distillation=soft},
 * named apart so that one experiment measures it beside the same kind under hard labels. It learns
 * the distribution each teacher label carries (the teacher's self-consistency or confidence, see
 * {@link io.distillery.students.SoftTargets}); a label without one is a one-hot target, so on a
 * teacher that states no confidence the two variants learn the same thing.
 */
final class SoftVariant implements StudentKind {

  /** What a student name ends with to ask for the soft variant. */
  static final String SUFFIX = "+soft";

  private final StudentKind soft;

  /**
   * @param temperature applied to the teacher's distribution ({@code p^(1/T)}); 1 leaves it
   */
  SoftVariant(double temperature) {
    this(temperature, TransformerSettings.DEFAULT.pretrained());
  }

  /**
   * @param temperature applied to the teacher's distribution ({@code p^(1/T)}); 1 leaves it
   * @param encoder the shipped encoder fine-tuned
   */
  SoftVariant(double temperature, String encoder) {
    this.soft =
        new TransformerFinetuneKind(
            TransformerSettings.DEFAULT
                .withPretrained(encoder)
                .withDistillation(Distillation.SOFT, temperature));
  }

  /** The kind {@link #SUFFIX} can follow. */
  static String base() {
    return TransformerStudent.KIND;
  }

  @Override
  public String name() {
    return base() + SUFFIX;
  }

  @Override
  public TrainedStudent train(
      List<LabeledExample> examples, List<String> labels, long seed, TrainingProgress progress) {
    return soft.train(examples, labels, seed, progress);
  }

  @Override
  public Map<String, String> save(Student student, Path dir) throws IOException {
    return soft.save(student, dir);
  }

  @Override
  public Student load(Path dir, List<String> labels, Map<String, String> settings)
      throws IOException {
    return soft.load(dir, labels, settings);
  }
}
