package io.distillery.students;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A kind of student: how to train one, and how to write and read its files. An instance carries the
 * kind's training settings (from the trainer's config); loading takes its settings from the
 * artifact's manifest instead, so any instance of the kind can load any artifact of it.
 */
public interface StudentKind {

  /** The name on model versions and in config, e.g. {@code hashed-linear}. */
  String name();

  /**
   * Trains a student on {@code examples}, whose labels are all in {@code labels}. Runs on the
   * calling thread, on the GPU when DJL sees one ({@link Devices#choose()}); may take minutes.
   *
   * @param seed seeds initialisation and shuffling: the same examples and seed give the same
   *     student
   * @param progress told after every epoch
   */
  TrainedStudent train(
      List<LabeledExample> examples, List<String> labels, long seed, TrainingProgress progress);

  /**
   * Writes what {@link #load} needs into the empty directory {@code dir}.
   *
   * @param student a student this kind trained or loaded
   * @return the settings {@link #load} needs besides the files (featurizer, sizes); kept in the
   *     manifest and on the model version
   */
  Map<String, String> save(Student student, Path dir) throws IOException;

  /**
   * Reads a student {@link #save} wrote into {@code dir}.
   *
   * @param labels the label set, in the model's output order
   * @param settings what {@link #save} returned
   * @throws IOException when the files are missing or not this kind's
   */
  Student load(Path dir, List<String> labels, Map<String, String> settings) throws IOException;
}
