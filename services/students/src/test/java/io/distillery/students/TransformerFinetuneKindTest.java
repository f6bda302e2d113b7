package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code transformer-finetune} kind end to end on a tiny BERT-like encoder exported as
 * TorchScript by {@link TinyBertExport} (no pretrained weights can be downloaded here): the same
 * code path a user's {@code torch.jit.trace} export of BERT takes, at a size that fine-tunes in
 * seconds on two CPU cores.
 *
 * <p>The task is synthetic: short texts of topic-neutral filler words with one or two cue words of
 * their topic at random places. Held-out texts are new combinations. The encoder starts from random
 * weights and the head reads only the {@code [CLS]} position, so the model can only succeed if
 * fine-tuning reaches into the encoder and its attention learns to carry the cue to {@code [CLS]}.
 */
class TransformerFinetuneKindTest {

  private static final List<String> LABELS = List.of("finance", "sports", "weather");
  private static final List<List<String>> CUES =
      List.of(
          List.of("bank", "stocks", "market", "shares", "profit", "loan", "investor", "bond"),
          List.of("goal", "match", "striker", "team", "coach", "league", "referee", "tournament"),
          List.of("rain", "storm", "snow", "forecast", "thunder", "sunny", "wind", "cloudy"));
  private static final List<String> FILLERS =
      List.of(
          "the", "a", "today", "people", "said", "we", "it", "was", "very", "in", "city", "on",
          "after", "about", "report", "new", "they", "many", "this", "morning", "news", "local",
          "some", "time", "week", "every", "there", "again", "just", "more", "our", "big");

  @TempDir static Path workDir;

  private static Path export;
  private static TransformerSettings settings;
  private static TrainedStudent trained;
  private static List<LabeledExample> heldOut;

  @BeforeAll
  static void fineTuneTheTinyEncoderOnce() throws IOException {
    export = workDir.resolve("tiny-bert");
    var vocabulary = new ArrayList<>(FILLERS);
    CUES.forEach(vocabulary::addAll);
    TinyBertExport.write(export, vocabulary, 32, 64, 11);
    // A tiny encoder trained from random weights: a large rate, no warm-up, clipping, decay or
    // hold-out, so every step counts.
    settings =
        new TransformerSettings(
            export,
            TransformerSettings.DEFAULT.pretrained(),
            24,
            6,
            16,
            3e-3f,
            0f,
            0f,
            0f,
            0f,
            1,
            true,
            Pooling.CLS,
            SoftTargets.Distillation.HARD,
            1.0,
            7);
    var train = texts(360, new Random(1));
    heldOut = texts(150, new Random(2));
    trained = new TransformerFinetuneKind(settings).train(train, LABELS, 7, TrainingProgress.NONE);
  }

  @AfterAll
  static void closeTheStudent() {
    if (trained != null) {
      ((TransformerStudent) trained.student()).close();
    }
  }

  /** Filler words with one or two cue words of the text's topic at random places. */
  private static List<LabeledExample> texts(int count, Random random) {
    var examples = new ArrayList<LabeledExample>();
    for (int i = 0; i < count; i++) {
      int topic = i % LABELS.size();
      var words = new ArrayList<String>();
      int fillers = 4 + random.nextInt(9);
      for (int j = 0; j < fillers; j++) {
        words.add(FILLERS.get(random.nextInt(FILLERS.size())));
      }
      int cues = 1 + random.nextInt(2);
      for (int j = 0; j < cues; j++) {
        var cue = CUES.get(topic).get(random.nextInt(CUES.get(topic).size()));
        words.add(random.nextInt(words.size() + 1), cue);
      }
      examples.add(new LabeledExample(String.join(" ", words), LABELS.get(topic)));
    }
    return examples;
  }

  private static double accuracy(Student student, List<LabeledExample> examples) {
    long correct =
        examples.stream().filter(e -> student.predict(e.text()).label().equals(e.label())).count();
    return (double) correct / examples.size();
  }

  @Test
  void shouldLearnTheTaskWellAboveChanceOnHeldOutTexts() {
    double accuracy = accuracy(trained.student(), heldOut);

    System.out.printf(
        "transformer-finetune on the synthetic topic task: %d examples, held-out accuracy %.3f"
            + " (chance 0.333), final loss %.4f, trained in %d ms on %s%n",
        trained.examples(),
        accuracy,
        trained.finalLoss(),
        trained.trainingMillis(),
        trained.device());
    assertThat(accuracy).isGreaterThan(0.8);
    assertThat(trained.device()).isEqualTo("cpu()");
    assertThat(trained.deviceReason()).isEqualTo("DJL sees no GPU");
    assertThat(trained.examples()).isEqualTo(360);
  }

  @Test
  void shouldFineTuneTheEncoderItselfNotOnlyTheHead() throws IOException {
    float[] before;
    try (Model original = Model.newInstance("original", "PyTorch")) {
      var encoder = TorchScriptEncoder.load(original, export.resolve(TorchScriptEncoder.USER_FILE));
      before = encoder.block().getParameters().get("word_embeddings").getArray().toFloatArray();
    }
    var encoder = ((TransformerStudent) trained.student()).block().encoder();
    float[] after = encoder.getParameters().get("word_embeddings").getArray().toFloatArray();

    assertThat(after).hasSameSizeAs(before);
    double moved = 0;
    for (int i = 0; i < before.length; i++) {
      moved = Math.max(moved, Math.abs(after[i] - before[i]));
    }
    assertThat(moved).isGreaterThan(1e-3);
  }

  @Test
  void shouldScoreTheSameAfterSavingAndLoadingWithoutTheUsersExport(@TempDir Path store)
      throws IOException {
    var student = trained.student();
    var stored =
        new ModelStore(store).save("topics", 1, new TransformerFinetuneKind(settings), student, 0);

    assertThat(stored.manifest().kind()).isEqualTo("transformer-finetune");
    assertThat(stored.manifest().files().keySet())
        .containsExactlyInAnyOrder("encoder.pt", "head.params", "tokenizer.json");
    assertThat(stored.manifest().settings())
        .containsEntry("max-length", "24")
        .containsEntry("pooling", "cls")
        .containsEntry("hidden", "32");
    assertThat(stored.manifest().settings().values()).noneMatch(v -> v.contains(export.toString()));

    // The built-in kinds have no encoder directory: the artifact must carry everything.
    var loaded = ModelStore.load(stored.uri(), stored.sha256(), StudentKinds.builtIn());
    try {
      assertThat(loaded).isInstanceOf(TransformerStudent.class);
      assertThat(loaded.labels()).isEqualTo(LABELS);
      for (var example : heldOut.subList(0, 30)) {
        assertThat(loaded.predict(example.text()).probabilities())
            .containsExactly(student.predict(example.text()).probabilities(), within(1e-5));
      }
      assertThat(accuracy(loaded, heldOut)).isEqualTo(accuracy(student, heldOut));
    } finally {
      ((TransformerStudent) loaded).close();
    }
  }

  @Test
  void shouldPredictTheSameFromManyThreadsAtOnce() throws Exception {
    var student = trained.student();
    var texts = heldOut.subList(0, 40).stream().map(LabeledExample::text).toList();
    var sequential = texts.stream().map(t -> student.predict(t).probabilities()).toList();

    var pool = Executors.newFixedThreadPool(4);
    try {
      var tasks = new ArrayList<Callable<double[]>>();
      for (int round = 0; round < 4; round++) {
        texts.forEach(t -> tasks.add(() -> student.predict(t).probabilities()));
      }
      var futures = pool.invokeAll(tasks);
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get())
            .containsExactly(sequential.get(i % texts.size()), within(1e-6));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldRefuseAnExportWithoutTokenizerJson() throws IOException {
    var incomplete = workDir.resolve("no-tokenizer");
    Files.createDirectories(incomplete);
    Files.copy(export.resolve("model.pt"), incomplete.resolve("model.pt"));
    var kind = new TransformerFinetuneKind(settings.withEncoder(incomplete));

    assertThatThrownBy(() -> kind.train(texts(6, new Random(3)), LABELS, 1, TrainingProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(incomplete.toString())
        .hasMessageContaining("no tokenizer.json");
  }

  @Test
  void shouldRefuseAnEncoderFileThatIsNotTorchScript() throws IOException {
    var broken = workDir.resolve("not-torchscript");
    Files.createDirectories(broken);
    Files.copy(export.resolve("tokenizer.json"), broken.resolve("tokenizer.json"));
    Files.writeString(broken.resolve("model.pt"), "a state_dict, not torch.jit.save output");
    var kind = new TransformerFinetuneKind(settings.withEncoder(broken));

    assertThatThrownBy(() -> kind.train(texts(6, new Random(3)), LABELS, 1, TrainingProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model.pt")
        .hasMessageContaining("is not a TorchScript module");
  }

  @Test
  void shouldRefuseAnEncoderThatWantsMoreInputsThanIdsAndMask() throws IOException {
    var threeInputs = workDir.resolve("three-inputs");
    Files.createDirectories(threeInputs);
    Files.copy(export.resolve("tokenizer.json"), threeInputs.resolve("tokenizer.json"));
    TinyBertExport.writeModel(threeInputs.resolve("model.pt"), 64, 16, 32, 1, true);
    var kind = new TransformerFinetuneKind(settings.withEncoder(threeInputs));

    assertThatThrownBy(() -> kind.train(texts(6, new Random(3)), LABELS, 1, TrainingProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must take forward(input_ids, attention_mask)")
        .hasMessageContaining("token_type_ids");
  }

  @Test
  void shouldRefuseATrainingLabelOutsideTheLabelSet() {
    var kind = new TransformerFinetuneKind(settings);
    var examples = List.of(new LabeledExample("rain again today", "politics"));

    assertThatThrownBy(() -> kind.train(examples, LABELS, 1, TrainingProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'politics' is not one of [finance, sports, weather]");
  }

  @Test
  void shouldRefuseAnArtifactWithoutItsHead(@TempDir Path dir) throws IOException {
    var kind = StudentKinds.builtIn().forName("transformer-finetune");
    var settingsMap = kind.save(trained.student(), dir);
    Files.delete(dir.resolve("head.params"));

    assertThatThrownBy(() -> kind.load(dir, LABELS, settingsMap))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("missing head.params");
  }

  @Test
  void shouldRefuseAnArtifactWithAnotherLabelCount(@TempDir Path dir) throws IOException {
    var kind = StudentKinds.builtIn().forName("transformer-finetune");
    var settingsMap = kind.save(trained.student(), dir);

    assertThatThrownBy(() -> kind.load(dir, List.of("yes", "no"), settingsMap))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the head in")
        .hasMessageContaining("expected (2, 32)");
  }

  @Test
  void shouldBeOneOfTheBuiltInKinds() {
    assertThat(StudentKinds.builtIn().forName("transformer-finetune"))
        .isInstanceOf(TransformerFinetuneKind.class);
    assertThat(trained.student().kind()).isEqualTo("transformer-finetune");
  }
}
