package io.distillery.experiment;

import io.distillery.students.AuditedTargets;
import io.distillery.students.LabeledExample;
import io.distillery.students.StudentKind;
import io.distillery.students.TrainedStudent;
import io.distillery.students.TrainingProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code KIND+audited}: a student trained on what people would say rather than on what the teacher
 * said ({@link AuditedTargets}): the audit's measure of the teacher, by label and by stated
 * confidence, applied before training instead of after it ({@link CorrectedVariant}). An experiment
 * only: the trainer does not offer it, because on the fine-tuned student it measured no better than
 * the correction ({@code docs/results.md}). The audit is the one {@link CorrectedVariant} uses
 * (people's labels of {@code --audit} train texts drawn at random); the audited texts themselves
 * are trained on people's labels. A kind that learns distributions (the fine-tuned transformer
 * under {@code distillation=soft}) learns the targets; any other learns their most likely label.
 * The student is served as trained: it already answers for people.
 */
final class AuditedVariant extends KindVariant {

  /** What a student name ends with to ask for the audited variant. */
  static final String SUFFIX = "+audited";

  private final String name;
  private final Map<String, String> audit;

  /**
   * @param name the base kind's name
   * @param learner the kind trained: for the transformer, one under {@code distillation=soft}
   * @param audit text to people's label, the audited texts
   */
  AuditedVariant(String name, StudentKind learner, Map<String, String> audit) {
    super(learner);
    this.name = name;
    this.audit = Map.copyOf(audit);
  }

  @Override
  public String name() {
    return name + SUFFIX;
  }

  @Override
  public TrainedStudent train(
      List<LabeledExample> examples, List<String> labels, long seed, TrainingProgress progress) {
    var reviews = new ArrayList<AuditedTargets.Review>();
    for (var example : examples) {
      var person = audit.get(example.text());
      if (person != null) {
        reviews.add(
            new AuditedTargets.Review(
                person, example.label(), AuditedTargets.confidenceOf(example)));
      }
    }
    var targets = AuditedTargets.fit(labels, reviews);
    var relabelled = new ArrayList<LabeledExample>(examples.size());
    for (var example : examples) {
      var person = audit.get(example.text());
      relabelled.add(
          person != null ? new LabeledExample(example.text(), person) : targets.relabel(example));
    }
    return learner.train(relabelled, labels, seed, progress);
  }
}
