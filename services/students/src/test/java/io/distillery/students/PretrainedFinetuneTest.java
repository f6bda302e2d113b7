package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillery.students.LabelledDataset.Row;
import io.distillery.students.SoftTargets.Distillation;
import io.distillery.students.minilm.MiniLmHeadKind;
import io.distillery.students.minilm.MiniLmHeadSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code transformer-finetune} student with no user files: all-MiniLM-L6-v2 as it ships,
 * fine-tuned on a thousand real movie-review sentences ({@code
 * ../shared/datasets/movie-review-polarity}) and measured on its test split against people's
 * labels; soft labels on the climate-stance data, whose GPT-4o teacher stated a confidence in each
 * label. Small on purpose (CI runs on two cores); the full runs are the experiment's. (On 400 texts
 * the frozen encoder with a head is as good or better: fine-tuning pays from about a thousand
 * labels on, see docs/transformer-student.md.)
 */
class PretrainedFinetuneTest {

  private static final Path DATASETS =
      Path.of(System.getProperty("distillery.datasets", "../../../shared/datasets"));
  private static final int TRAIN = 1000;
  private static final int TEST = 400;

  private static List<String> labels;
  private static List<Row> train;
  private static List<Row> test;
  private static TrainedStudent fineTuned;
  private static TransformerSettings settings;

  @BeforeAll
  static void fineTuneOnce() throws IOException {
    var rows = LabelledDataset.read(DATASETS.resolve("movie-review-polarity/data.jsonl"));
    labels = rows.stream().map(Row::humanLabel).distinct().sorted().toList();
    train = spread(rows.stream().filter(r -> r.split().equals("train")).toList(), TRAIN);
    test = spread(rows.stream().filter(r -> r.split().equals("test")).toList(), TEST);
    settings = TransformerSettings.DEFAULT.withEpochs(3);
    fineTuned =
        new TransformerFinetuneKind(settings)
            .train(humanLabelled(train), labels, 42, TrainingProgress.NONE);
  }

  /** {@code n} rows taken at even steps through {@code rows} (the files are sorted by label). */
  private static List<Row> spread(List<Row> rows, int n) {
    var out = new ArrayList<Row>(n);
    double step = (double) rows.size() / n;
    for (int i = 0; i < n; i++) {
      out.add(rows.get((int) (i * step)));
    }
    return out;
  }

  @AfterAll
  static void close() {
    if (fineTuned != null) {
      fineTuned.student().close();
    }
  }

  private static List<LabeledExample> humanLabelled(List<Row> rows) {
    return rows.stream().map(r -> new LabeledExample(r.text(), r.humanLabel())).toList();
  }

  private static double macroF1(Student student, List<Row> rows) {
    var predicted = new ArrayList<String>();
    var reference = new ArrayList<String>();
    for (var row : rows) {
      predicted.add(student.predict(row.text()).label());
      reference.add(row.humanLabel());
    }
    return Metrics.compare(labels, predicted, reference).macroF1();
  }

  @Test
  void shouldBeatTheSameEncoderFrozenWithAHeadOnHeldOutTexts() {
    var frozen =
        new MiniLmHeadKind(MiniLmHeadSettings.DEFAULT)
            .train(humanLabelled(train), labels, 42, TrainingProgress.NONE);
    try (var head = frozen.student()) {
      double tuned = macroF1(fineTuned.student(), test);
      double base = macroF1(head, test);
      System.out.printf("fine-tuned macro-F1 %.3f, frozen + head %.3f%n", tuned, base);
      assertThat(tuned)
          .as("fine-tuned macro-F1 against the frozen encoder's")
          .isGreaterThan(base + 0.03);
    }
  }

  @Test
  void shouldHoldOutASliceOfTheTeachersLabelsAndTrainOnTheRest() {
    // 10 % of 1,000 held out for early stopping.
    assertThat(fineTuned.examples()).isEqualTo(900);
    assertThat(fineTuned.device()).isEqualTo("cpu()");
  }

  @Test
  void shouldScoreTheSameAfterSavingAndLoadingIntoOnnxRuntime(@TempDir Path store)
      throws IOException {
    var kind = new TransformerFinetuneKind(settings);
    var stored = new ModelStore(store).save("reviews", 1, kind, fineTuned.student(), 0);

    assertThat(stored.manifest().files().keySet())
        .containsExactlyInAnyOrder("encoder.params", "head.params", "tokenizer.json");
    assertThat(stored.manifest().settings())
        .containsEntry("encoder", "bert")
        .containsEntry("encoder-model", "all-MiniLM-L6-v2")
        .containsEntry("bert.num_hidden_layers", "6")
        .containsEntry("pooling", "mean")
        .containsEntry("max-length", "128");
    // Calibrated on the held-out slice, the temperature folded into the head and recorded.
    assertThat(Double.parseDouble(stored.manifest().settings().get("calibration-temperature")))
        .isPositive()
        .isNotEqualTo(1.0);
    try (var loaded = ModelStore.load(stored.uri(), stored.sha256(), StudentKinds.builtIn())) {
      // Served by ONNX Runtime with the fine-tuned weights written into the encoder's graph.
      assertThat(loaded).isInstanceOf(OnnxTransformerStudent.class);
      for (var row : test.subList(0, 40)) {
        var before = fineTuned.student().predict(row.text());
        var after = loaded.predict(row.text());
        assertThat(after.label()).isEqualTo(before.label());
        for (int k = 0; k < labels.size(); k++) {
          assertThat(after.probabilities()[k])
              .isCloseTo(before.probabilities()[k], org.assertj.core.data.Offset.offset(1e-5));
        }
      }
    }
  }

  @Test
  void shouldFineTuneTheTwelveLayerEncoderAndServeItFromItsOwnGraph(@TempDir Path store)
      throws IOException {
    // A short run: what is checked is the encoder chosen, saved and served, not its quality.
    var bge = TransformerSettings.DEFAULT.withPretrained("bge-small-en-v1.5").withEpochs(1);
    var kind = new TransformerFinetuneKind(bge);
    var trained =
        kind.train(humanLabelled(train.subList(0, 60)), labels, 42, TrainingProgress.NONE);
    try (var student = trained.student()) {
      var stored = new ModelStore(store).save("reviews", 1, kind, student, 0);
      assertThat(stored.manifest().settings())
          .containsEntry("encoder-model", "bge-small-en-v1.5")
          .containsEntry("bert.num_hidden_layers", "12");
      try (var loaded = ModelStore.load(stored.uri(), stored.sha256(), StudentKinds.builtIn())) {
        assertThat(loaded).isInstanceOf(OnnxTransformerStudent.class);
        for (var row : test.subList(0, 20)) {
          var before = student.predict(row.text());
          var after = loaded.predict(row.text());
          for (int k = 0; k < labels.size(); k++) {
            assertThat(after.probabilities()[k])
                .isCloseTo(before.probabilities()[k], org.assertj.core.data.Offset.offset(1e-5));
          }
        }
      }
    }
  }

  @Test
  void shouldRefuseATamperedEncoder(@TempDir Path store) throws IOException {
    var kind = new TransformerFinetuneKind(settings);
    var stored = new ModelStore(store).save("reviews", 1, kind, fineTuned.student(), 0);
    var weights = Path.of(stored.uri()).resolve("encoder.params");
    var bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(weights, bytes);

    assertThatThrownBy(() -> ModelStore.load(stored.uri(), stored.sha256(), StudentKinds.builtIn()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("encoder.params");
  }

  @Test
  void shouldReproduceTheTeachersDistributionBetterWhenTrainedOnItThanOnItsArgmax()
      throws IOException {
    // The teacher (GPT-4o) stated a confidence in each label: a distribution over the two labels.
    var rows = LabelledDataset.read(DATASETS.resolve("global-warming-stance/data.jsonl"));
    var climateLabels = rows.stream().map(Row::humanLabel).distinct().sorted().toList();
    var climate =
        spread(
            rows.stream().filter(r -> r.split().equals("train") && r.llmLabel() != null).toList(),
            400);
    var taught =
        climate.subList(0, 240).stream()
            .map(
                r ->
                    new LabeledExample(
                        r.text(),
                        r.llmLabel(),
                        SoftTargets.fromConfidence(r.llmLabel(), r.llmConfidence())))
            .toList();
    var heldOut =
        climate.subList(240, 400).stream()
            .map(
                r ->
                    new LabeledExample(
                        r.text(),
                        r.llmLabel(),
                        SoftTargets.fromConfidence(r.llmLabel(), r.llmConfidence())))
            .toList();
    var base = settings.withEpochs(3);
    var hard =
        new TransformerFinetuneKind(base.withDistillation(Distillation.HARD, 1.0))
            .train(taught, climateLabels, 42, TrainingProgress.NONE);
    var soft =
        new TransformerFinetuneKind(base.withDistillation(Distillation.SOFT, 1.0))
            .train(taught, climateLabels, 42, TrainingProgress.NONE);
    try (var h = hard.student();
        var s = soft.student()) {
      double klHard = meanKl(h, heldOut, climateLabels);
      double klSoft = meanKl(s, heldOut, climateLabels);
      System.out.printf("held-out KL(teacher || student): hard %.4f, soft %.4f%n", klHard, klSoft);
      // Measured 0.252 against 0.292 nats (a ratio of 0.86) on this machine.
      assertThat(klSoft).isLessThan(klHard * 0.95);
    }
  }

  /** Mean KL divergence from the teacher's distribution to the student's, in nats. */
  private static double meanKl(
      Student student, List<LabeledExample> examples, List<String> labels) {
    double sum = 0;
    for (var example : examples) {
      float[] teacher = SoftTargets.of(example, labels, Distillation.SOFT, 1.0);
      var p = student.predict(example.text()).probabilities();
      for (int k = 0; k < labels.size(); k++) {
        if (teacher[k] > 0) {
          sum += teacher[k] * Math.log(teacher[k] / Math.max(1e-12, p[k]));
        }
      }
    }
    return sum / examples.size();
  }
}
