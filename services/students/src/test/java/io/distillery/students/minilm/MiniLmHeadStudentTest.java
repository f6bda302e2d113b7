package io.distillery.students.minilm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillery.students.Devices;
import io.distillery.students.LabeledExample;
import io.distillery.students.LabelledDataset;
import io.distillery.students.Metrics;
import io.distillery.students.ModelStore;
import io.distillery.students.Student;
import io.distillery.students.StudentKinds;
import io.distillery.students.TrainingProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MiniLmHeadStudentTest {

  private static final Path MOVIES =
      Path.of(
          System.getProperty("distillery.datasets", "../../../shared/datasets"),
          "movie-review-polarity",
          "data.jsonl");

  private static final List<String> SENTIMENT = List.of("negative", "positive");

  private static final List<LabeledExample> REVIEWS =
      List.of(
          new LabeledExample("a wonderful, moving film", "positive"),
          new LabeledExample("great acting and a great story", "positive"),
          new LabeledExample("one of the best films of the year", "positive"),
          new LabeledExample("dull, boring and far too long", "negative"),
          new LabeledExample("a terrible waste of time", "negative"),
          new LabeledExample("the worst script I have sat through", "negative"));

  @Test
  void shouldBeatTheMajorityClassOnMovieReviewsWhenTrainedOnLlmLabels() throws IOException {
    var rows = LabelledDataset.read(MOVIES);
    // The train split is sorted by label: a seeded shuffle gives a fair sample.
    var llmLabelled =
        new ArrayList<>(
            rows.stream()
                .filter(r -> r.split().equals("train") && r.llmLabel() != null)
                .map(r -> new LabeledExample(r.text(), r.llmLabel()))
                .toList());
    Collections.shuffle(llmLabelled, new Random(42));
    var train = llmLabelled.subList(0, 1_500);
    var test = rows.stream().filter(r -> r.split().equals("test")).toList();
    var reference = test.stream().map(LabelledDataset.Row::humanLabel).toList();

    var trained =
        new MiniLmHeadKind(MiniLmHeadSettings.DEFAULT)
            .train(train, SENTIMENT, 42, TrainingProgress.NONE);
    long start = System.nanoTime();
    var predicted = test.stream().map(r -> trained.student().predict(r.text()).label()).toList();
    double textsPerSecond = test.size() / ((System.nanoTime() - start) / 1e9);
    var summary = Metrics.compare(SENTIMENT, predicted, reference);
    var majority =
        Metrics.compare(
            SENTIMENT, Collections.nCopies(test.size(), mostFrequent(train)), reference);

    System.out.printf(
        "minilm-head on movie-review-polarity: %d LLM labels, test macro-F1 %.3f, accuracy %.3f"
            + " (majority class: %.3f, %.3f); trained in %d ms on %s, embedding included;"
            + " scored %.0f unseen texts/s%n",
        train.size(),
        summary.macroF1(),
        summary.accuracy(),
        majority.macroF1(),
        majority.accuracy(),
        trained.trainingMillis(),
        trained.device(),
        textsPerSecond);
    // The test split is balanced: the majority class scores accuracy 0.5, macro-F1 0.33. Measured:
    // macro-F1 0.741 from these 1,500 labels (../shared/BASELINES.md: TF-IDF + logistic regression
    // on all 8,278 reaches 0.772).
    assertThat(summary.accuracy()).isGreaterThan(majority.accuracy() + 0.2);
    assertThat(summary.macroF1()).isGreaterThan(0.70);
    assertThat(trained.device()).isEqualTo(Devices.choose().device().toString());
    assertThat(trained.examples()).isEqualTo(train.size());
  }

  @ParameterizedTest
  @EnumSource(MiniLmHeadSettings.Head.class)
  void shouldScoreTheSameAfterSavingAndLoadingTheArtifact(
      MiniLmHeadSettings.Head head, @TempDir Path dir) throws IOException {
    var settings =
        head == MiniLmHeadSettings.Head.MLP
            ? new MiniLmHeadSettings(head, 16, 30, 2, 1e-2f, 1e-4f, true)
            : new MiniLmHeadSettings(head, 0, 30, 2, 1e-2f, 1e-4f, true);
    var kind = new MiniLmHeadKind(settings);
    var student = kind.train(REVIEWS, SENTIMENT, 7, TrainingProgress.NONE).student();

    var stored = new ModelStore(dir).save("sentiment", 1, kind, student, 0);
    var loaded = ModelStore.load(stored.uri(), stored.sha256(), StudentKinds.builtIn());

    assertThat(stored.manifest().settings())
        .containsEntry(MiniLmHeadKind.HEAD, head.configName())
        .containsEntry(MiniLmHeadKind.HIDDEN, Integer.toString(settings.hiddenSize()))
        .containsEntry(MiniLmHeadKind.ENCODER, MiniLmEncoder.MODEL_NAME)
        .containsEntry(MiniLmHeadKind.DIMENSIONS, "384");
    assertThat(loaded.kind()).isEqualTo("minilm-head");
    for (var text : List.of("a wonderful story", "boring waste", "", "the projector broke")) {
      assertThat(loaded.predict(text).probabilities())
          .containsExactly(student.predict(text).probabilities());
    }
    assertThat(loaded.predict("a great, moving story").label()).isEqualTo("positive");
    assertThat(loaded.predict("a boring waste of time").label()).isEqualTo("negative");
  }

  @Test
  void shouldRejectATrainingLabelOutsideTheLabelSet() {
    var kind = new MiniLmHeadKind(MiniLmHeadSettings.DEFAULT);

    assertThatThrownBy(
            () ->
                kind.train(
                    List.of(
                        new LabeledExample("fine", "positive"), new LabeledExample("x", "maybe")),
                    SENTIMENT,
                    1,
                    TrainingProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maybe");
  }

  @Test
  void shouldRefuseAHeadTrainedOnAnotherEncodersVectors(@TempDir Path dir) throws IOException {
    var kind = new MiniLmHeadKind(MiniLmHeadSettings.DEFAULT.logistic());
    var student = kind.train(REVIEWS, SENTIMENT, 3, TrainingProgress.NONE).student();
    var settings = kind.save(student, dir);

    var otherEncoder = new HashMap<>(settings);
    otherEncoder.put(MiniLmHeadKind.ENCODER, "all-mpnet-base-v2");
    assertThatThrownBy(() -> kind.load(dir, SENTIMENT, otherEncoder))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("all-mpnet-base-v2");
    // Parameters that do not fit the head the settings describe are refused too.
    var otherShape = new HashMap<>(settings);
    otherShape.put(MiniLmHeadKind.DIMENSIONS, "768");
    assertThatThrownBy(() -> kind.load(dir, SENTIMENT, otherShape))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> kind.load(dir, SENTIMENT, Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("head");
  }

  @Test
  void shouldPredictTheSameFromSeveralThreadsAtOnce() throws Exception {
    Student student =
        new MiniLmHeadKind(MiniLmHeadSettings.DEFAULT)
            .train(REVIEWS, SENTIMENT, 5, TrainingProgress.NONE)
            .student();
    // Texts no one has embedded yet: the threads race to embed and cache the same texts.
    var texts = new ArrayList<String>();
    for (int i = 0; i < 20; i++) {
      texts.add("a film seen by " + i + " threads at once, " + System.nanoTime());
    }
    var pool = Executors.newFixedThreadPool(4);
    var results = new ArrayList<List<double[]>>();
    try {
      var calls = new ArrayList<Callable<List<double[]>>>();
      for (int t = 0; t < 8; t++) {
        calls.add(() -> texts.stream().map(text -> student.predict(text).probabilities()).toList());
      }
      for (Future<List<double[]>> result : pool.invokeAll(calls)) {
        results.add(result.get());
      }
    } finally {
      pool.shutdown();
    }

    for (int i = 0; i < texts.size(); i++) {
      var alone = student.predict(texts.get(i)).probabilities();
      for (var result : results) {
        assertThat(result.get(i)).containsExactly(alone);
      }
    }
  }

  private static String mostFrequent(List<LabeledExample> examples) {
    long positive = examples.stream().filter(e -> e.label().equals("positive")).count();
    return positive * 2 > examples.size() ? "positive" : "negative";
  }
}
