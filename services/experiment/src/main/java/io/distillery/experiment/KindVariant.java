package io.distillery.experiment;

import io.distillery.students.Student;
import io.distillery.students.StudentKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A student kind the experiment measures under another name and another way of training ({@code
 * +soft}, {@code +corrected}, {@code +audited}), whose students are stored and loaded as the kind
 * underneath stores and loads them.
 */
abstract class KindVariant implements StudentKind {

  /** The kind that trains, stores and loads the students. */
  protected final StudentKind learner;

  protected KindVariant(StudentKind learner) {
    this.learner = learner;
  }

  @Override
  public Map<String, String> save(Student student, Path dir) throws IOException {
    return learner.save(student, dir);
  }

  @Override
  public Student load(Path dir, List<String> labels, Map<String, String> settings)
      throws IOException {
    return learner.load(dir, labels, settings);
  }
}
