package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashedLinearStudentTest {

  private static final Path MOVIES =
      Path.of(
          System.getProperty("distillery.datasets", "../../../shared/datasets"),
          "movie-review-polarity",
          "data.jsonl");

  @Test
  void shouldBeatTheTfIdfBaselineOnMovieReviewsWhenTrainedOnLlmLabels() throws IOException {
    var rows = LabelledDataset.read(MOVIES);
    var train =
        rows.stream()
            .filter(r -> r.split().equals("train") && r.llmLabel() != null)
            .map(r -> new LabeledExample(r.text(), r.llmLabel()))
            .toList();
    var test = rows.stream().filter(r -> r.split().equals("test")).toList();
    var labels = test.stream().map(LabelledDataset.Row::humanLabel).distinct().sorted().toList();

    var result =
        HashedLinearTrainer.train(train, labels, TrainingSettings.DEFAULT, TrainingProgress.NONE);
    var predicted = test.stream().map(r -> result.student().predict(r.text()).label()).toList();
    var summary =
        Metrics.compare(
            labels, predicted, test.stream().map(LabelledDataset.Row::humanLabel).toList());

    System.out.printf(
        "hashed-linear on movie-review-polarity: %d LLM labels, test macro-F1 %.3f, accuracy %.3f,"
            + " trained in %d ms%n",
        train.size(), summary.macroF1(), summary.accuracy(), result.trainingMillis());
    // ../shared/BASELINES.md: TF-IDF + logistic regression trained on the same LLM labels reaches
    // macro-F1 0.772.
    assertThat(summary.macroF1()).isGreaterThan(0.772);
    assertThat(result.device()).isEqualTo("cpu()");
    assertThat(result.examples()).isEqualTo(train.size());
  }

  /** Macro-F1 on the human test labels of {@code dataset}, trained on its LLM labels. */
  private static double llmStudentF1(String dataset) throws IOException {
    var rows =
        LabelledDataset.read(MOVIES.getParent().getParent().resolve(dataset).resolve("data.jsonl"));
    var train =
        rows.stream()
            .filter(r -> r.split().equals("train") && r.llmLabel() != null)
            .map(r -> new LabeledExample(r.text(), r.llmLabel()))
            .toList();
    var test = rows.stream().filter(r -> r.split().equals("test")).toList();
    var labels = rows.stream().map(LabelledDataset.Row::humanLabel).distinct().sorted().toList();
    var student =
        HashedLinearTrainer.train(train, labels, TrainingSettings.DEFAULT, TrainingProgress.NONE)
            .student();
    var predicted = test.stream().map(r -> student.predict(r.text()).label()).toList();
    var f1 =
        Metrics.compare(
                labels, predicted, test.stream().map(LabelledDataset.Row::humanLabel).toList())
            .macroF1();
    System.out.printf(
        "hashed-linear on %s: %d LLM labels, test macro-F1 %.3f%n", dataset, train.size(), f1);
    return f1;
  }

  @Test
  void shouldBeatTheTfIdfBaselineOnSemEvalStanceThanksToCharacterNgrams() throws IOException {
    // ../shared/BASELINES.md, student(LLM): 0.471; words alone reach about 0.57 here, character
    // n-grams 0.68. (On global-warming-stance this student only ties the baseline, 0.617 against
    // 0.618; minilm-head beats it, 0.714: see docs/benchmarks.md.)
    assertThat(llmStudentF1("css-semeval-stance")).isGreaterThan(0.471);
  }

  @Test
  void shouldTrainSmallSetsInSmallBatchesAndLargeOnesInLargeBatches() {
    assertThat(HashedLinearTrainer.batchSize(300, 512)).isEqualTo(32);
    assertThat(HashedLinearTrainer.batchSize(1_569, 512)).isEqualTo(49);
    assertThat(HashedLinearTrainer.batchSize(100_000, 512)).isEqualTo(512);
    assertThat(HashedLinearTrainer.batchSize(100, 8)).isEqualTo(8);
  }

  @Test
  void shouldScoreTheSameAfterSavingAndLoadingTheArtifact(@TempDir Path dir) throws IOException {
    var examples =
        List.of(
            new LabeledExample("a wonderful, moving film", "positive"),
            new LabeledExample("great acting and a great story", "positive"),
            new LabeledExample("dull, boring and far too long", "negative"),
            new LabeledExample("a terrible waste of time", "negative"));
    var settings =
        new TrainingSettings(new HashedFeaturizer(1 << 12, true), 30, 2, 0.1f, 1e-6f, true, 7);
    var student =
        HashedLinearTrainer.train(
                examples, List.of("negative", "positive"), settings, TrainingProgress.NONE)
            .student();
    var kind = new HashedLinearKind(settings);

    var stored = new ModelStore(dir).save("sentiment", 1, kind, student, 0);
    var loaded = ModelStore.load(stored.uri(), stored.sha256(), StudentKinds.builtIn());

    for (var text : List.of("a wonderful story", "boring waste", "unseen words only")) {
      assertThat(loaded.predict(text).probabilities())
          .containsExactly(
              student.predict(text).probabilities(), org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(loaded.predict("wonderful great").label()).isEqualTo("positive");
    assertThat(loaded.predict("terrible boring").label()).isEqualTo("negative");
  }

  @Test
  void shouldRefuseAnArtifactWhoseHashDiffers(@TempDir Path dir) throws IOException {
    var student =
        HashedLinearTrainer.train(
                List.of(new LabeledExample("yes", "a"), new LabeledExample("no", "b")),
                List.of("a", "b"),
                new TrainingSettings(
                    new HashedFeaturizer(1 << 8, false), 1, 2, 0.1f, 1e-6f, true, 1),
                TrainingProgress.NONE)
            .student();
    var stored =
        new ModelStore(dir)
            .save("t", 1, new HashedLinearKind(TrainingSettings.DEFAULT), student, 0);
    var kinds = StudentKinds.builtIn();

    assertThatThrownBy(() -> ModelStore.load(stored.uri(), "00".repeat(32), kinds))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("manifest")
        .hasMessageContaining("sha256");

    // A changed parameter file under an intact manifest is caught too.
    var dirPath = Path.of(stored.uri());
    try (var files = Files.list(dirPath)) {
      var params =
          files
              .filter(f -> f.getFileName().toString().endsWith(".params"))
              .findFirst()
              .orElseThrow();
      var bytes = Files.readAllBytes(params);
      bytes[bytes.length - 1] ^= 1;
      Files.write(params, bytes);
    }
    assertThatThrownBy(() -> ModelStore.load(stored.uri(), stored.sha256(), kinds))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(".params")
        .hasMessageContaining("sha256");
  }

  @Test
  void shouldRejectATrainingLabelOutsideTheLabelSet() {
    assertThatThrownBy(
            () ->
                HashedLinearTrainer.train(
                    List.of(new LabeledExample("x", "maybe")),
                    List.of("yes", "no"),
                    TrainingSettings.DEFAULT,
                    TrainingProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maybe");
  }
}
