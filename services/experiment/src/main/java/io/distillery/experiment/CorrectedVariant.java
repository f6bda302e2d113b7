package io.distillery.experiment;

import io.distillery.students.CorrectedStudent;
import io.distillery.students.LabeledExample;
import io.distillery.students.LabelledDataset.Row;
import io.distillery.students.Student;
import io.distillery.students.StudentKind;
import io.distillery.students.TeacherCorrection;
import io.distillery.students.TrainedStudent;
import io.distillery.students.TrainingProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * {@code KIND+corrected}: a student of any kind, served through the audit's measure of the labels
 * it was trained on ({@link TeacherCorrection}), as the trainer serves it with {@code
 * distillery.trainer.correct-teacher-errors}. The audit is people's labels of {@code --audit} train
 * texts drawn at random (the auditor's uniform sample); a student is corrected by what people say
 * against the labels it learned on those of them it was trained on: the teacher's, the teacher's
 * with a share flipped (the auditor would measure that noisier teacher), or people's own (then the
 * counts are all agreement and the correction leaves the student as it was).
 */
final class CorrectedVariant extends KindVariant {

  /** What a student name ends with to ask for the corrected variant. */
  static final String SUFFIX = "+corrected";

  /** The audit's seed: the same texts are reviewed in every run. */
  private static final long AUDIT_SEED = 20_261_204L;

  private final Map<String, String> audit;

  /**
   * @param base the kind trained
   * @param audit text to people's label, the audited texts
   */
  CorrectedVariant(StudentKind base, Map<String, String> audit) {
    super(base);
    this.audit = Map.copyOf(audit);
  }

  /**
   * People's labels of {@code size} train rows drawn at random (all of them when fewer), by text.
   */
  static Map<String, String> audit(List<Row> train, int size) {
    var drawn = new ArrayList<>(train);
    Collections.shuffle(drawn, new Random(AUDIT_SEED));
    var out = new LinkedHashMap<String, String>();
    for (var row : drawn.subList(0, Math.min(size, drawn.size()))) {
      out.putIfAbsent(row.text(), row.humanLabel());
    }
    return out;
  }

  @Override
  public String name() {
    return learner.name() + SUFFIX;
  }

  @Override
  public TrainedStudent train(
      List<LabeledExample> examples, List<String> labels, long seed, TrainingProgress progress) {
    var counts = new TreeMap<String, Map<String, Long>>();
    for (var example : examples) {
      var human = audit.get(example.text());
      if (human != null) {
        counts.computeIfAbsent(human, h -> new TreeMap<>()).merge(example.label(), 1L, Long::sum);
      }
    }
    var trained = learner.train(examples, labels, seed, progress);
    return new TrainedStudent(
        new CorrectedStudent(trained.student(), TeacherCorrection.of(labels, counts)),
        trained.device(),
        trained.deviceReason(),
        trained.trainingMillis(),
        trained.examples(),
        trained.finalLoss());
  }

  @Override
  public Map<String, String> save(Student student, Path dir) throws IOException {
    return learner.save(student instanceof CorrectedStudent c ? c.uncorrected() : student, dir);
  }
}
