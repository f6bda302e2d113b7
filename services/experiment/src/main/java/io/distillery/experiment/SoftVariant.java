package io.distillery.experiment;

import io.distillery.students.LabeledExample;
import io.distillery.students.SoftTargets.Distillation;
import io.distillery.students.TrainedStudent;
import io.distillery.students.TrainingProgress;
import io.distillery.students.TransformerFinetuneKind;
import io.distillery.students.TransformerSettings;
import io.distillery.students.TransformerStudent;
import java.util.List;

/**
 * {@code transformer-finetune+soft}: the fine-tuned transformer under {@code distillation=soft},
 * named apart so that one experiment measures it beside the same kind under hard labels. It learns
 * the distribution each teacher label carries (the teacher's self-consistency or confidence, see
 * {@link io.distillery.students.SoftTargets}); a label without one is a one-hot target, so on a
 * teacher that states no confidence the two variants learn the same thing.
 */
final class SoftVariant extends KindVariant {

  /** What a student name ends with to ask for the soft variant. */
  static final String SUFFIX = "+soft";

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
    super(
        new TransformerFinetuneKind(
            TransformerSettings.DEFAULT
                .withPretrained(encoder)
                .withDistillation(Distillation.SOFT, temperature)));
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
    return learner.train(examples, labels, seed, progress);
  }
}
