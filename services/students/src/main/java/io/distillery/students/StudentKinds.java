package io.distillery.students;

import io.distillery.students.minilm.MiniLmHeadKind;
import io.distillery.students.minilm.MiniLmHeadSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The student kinds a process knows, by name: what the classifier loads artifacts with. */
public final class StudentKinds {

  private final Map<String, StudentKind> byName = new LinkedHashMap<>();

  /** The kinds given. */
  public StudentKinds(List<StudentKind> kinds) {
    kinds.forEach(k -> byName.put(k.name(), k));
  }

  /**
   * Every kind Distillery ships, with default training settings: enough to load any artifact.
   * Cheap: no kind loads a model before it trains or loads a student.
   */
  public static StudentKinds builtIn() {
    return new StudentKinds(
        List.of(
            new HashedLinearKind(TrainingSettings.DEFAULT),
            new MiniLmHeadKind(MiniLmHeadSettings.DEFAULT),
            new TransformerFinetuneKind(TransformerSettings.DEFAULT)));
  }

  /** The names of the kinds, in order. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The kind named {@code name}. */
  public StudentKind forName(String name) {
    var kind = byName.get(name);
    if (kind == null) {
      throw new IllegalArgumentException(
          "unknown student kind '" + name + "'; known: " + byName.keySet());
    }
    return kind;
  }
}
