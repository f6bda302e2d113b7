package io.distillery.classifier;

import io.distillery.common.Topics;
import io.distillery.common.testing.AvroBinarySerde;
import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.TextEvent;
import io.distillery.students.HashedFeaturizer;
import io.distillery.students.HashedLinearKind;
import io.distillery.students.HashedLinearStudent;
import io.distillery.students.HashedLinearTrainer;
import io.distillery.students.LabeledExample;
import io.distillery.students.ModelStore;
import io.distillery.students.Student;
import io.distillery.students.TrainingProgress;
import io.distillery.students.TrainingSettings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Shared pieces of the classifier's unit tests: topics without a registry, a tiny real student,
 * model versions.
 */
final class TestFixtures {

  static final String TASK = "sentiment";
  static final List<String> LABELS = List.of("negative", "positive");

  private static Student student;

  private TestFixtures() {}

  /** The topic registry with registry-free Avro serdes. */
  static Topics topics(String prefix) {
    return AvroBinarySerde.topics(prefix);
  }

  /**
   * The classifier's settings: defaults, then {@code overrides}, as the application would read
   * them.
   */
  static ClassifierConfig config(Map<String, String> overrides) {
    return new SmallRyeConfigBuilder()
        .withMapping(ClassifierConfig.class)
        .withSources(new PropertiesConfigSource(overrides, "test", 100))
        .build()
        .getConfigMapping(ClassifierConfig.class);
  }

  /** A student trained once per JVM on eight movie-review snippets. */
  static synchronized Student student() {
    if (student == null) {
      var examples =
          List.of(
              new LabeledExample("a wonderful, moving film", "positive"),
              new LabeledExample("great acting and a great story", "positive"),
              new LabeledExample("I loved every minute of it", "positive"),
              new LabeledExample("brilliant and beautiful", "positive"),
              new LabeledExample("dull, boring and far too long", "negative"),
              new LabeledExample("a terrible waste of time", "negative"),
              new LabeledExample("I hated every minute of it", "negative"),
              new LabeledExample("awful and ugly", "negative"));
      var settings =
          new TrainingSettings(new HashedFeaturizer(1 << 10, true), 30, 2, 0.1f, 1e-6f, true, 7);
      student =
          HashedLinearTrainer.train(examples, LABELS, settings, TrainingProgress.NONE).student();
    }
    return student;
  }

  /**
   * Saves the test student in a model store under {@code root} (a directory of its own per call)
   * and describes it as a model version with {@code status}.
   */
  static ModelVersion saved(Path root, long version, ModelStatus status) {
    try {
      var stored =
          new ModelStore(root)
              .save(
                  TASK,
                  version,
                  new HashedLinearKind(TrainingSettings.DEFAULT),
                  student(),
                  System.nanoTime());
      return version(version, status, stored.uri().toString(), stored.sha256());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A model version of the test task. */
  static ModelVersion version(long version, ModelStatus status, String uri, String sha) {
    return ModelVersion.newBuilder()
        .setName(TASK)
        .setVersion(version)
        .setKind(HashedLinearStudent.KIND)
        .setStatus(status)
        .setArtifactUri(uri)
        .setArtifactSha256(sha)
        .setLabels(LABELS)
        .setPromptVersion("0123456789abcdef")
        .setTrainingSize(8)
        .setCreatedAt(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }

  /** A raw text. */
  static TextEvent text(String id, String text) {
    return TextEvent.newBuilder()
        .setId(id)
        .setText(text)
        .setSource("test")
        .setIngestedAt(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }
}
