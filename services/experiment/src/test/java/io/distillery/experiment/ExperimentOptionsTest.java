package io.distillery.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillery.experiment.ExperimentOptions.UsageException;
import io.distillery.students.StudentKinds;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentOptionsTest {

  @Test
  void shouldDefaultToTheReplayTeacherFourNoiseLevelsAndFiveSeeds() {
    var options = ExperimentOptions.parse("--data", "d.jsonl", "--out", "o");

    assertThat(options.data()).isEqualTo(Path.of("d.jsonl"));
    assertThat(options.out()).isEqualTo(Path.of("o"));
    assertThat(options.teacher()).isEqualTo("replay");
    assertThat(options.students()).isEmpty();
    assertThat(options.noise()).containsExactly(0.0, 0.1, 0.2, 0.3);
    assertThat(options.seedList()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(options.sizes()).containsExactly(250, 500, 1000);
    assertThat(options.codebook()).isEmpty();
  }

  @Test
  void shouldReadListsSortedAndWithoutRepeats() {
    var options =
        ExperimentOptions.parse(
            "--data",
            "d.jsonl",
            "--out",
            "o",
            "--teacher",
            "zero-shot",
            "--students",
            "hashed-linear, minilm-head",
            "--noise",
            "0.3,0,0.3",
            "--seeds",
            "2",
            "--sizes",
            "1000,250");

    assertThat(options.teacher()).isEqualTo("zero-shot");
    assertThat(options.students()).containsExactly("hashed-linear", "minilm-head");
    assertThat(options.noise()).containsExactly(0.0, 0.3);
    assertThat(options.seedList()).containsExactly(1L, 2L);
    assertThat(options.sizes()).containsExactly(250, 1000);
  }

  @Test
  void shouldSayWhatIsWrongWithTheArguments() {
    assertThatThrownBy(() -> ExperimentOptions.parse("--data", "d.jsonl"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--out");
    assertThatThrownBy(
            () -> ExperimentOptions.parse("--data", "d", "--out", "o", "--teacher", "gpt"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown teacher 'gpt'");
    assertThatThrownBy(() -> ExperimentOptions.parse("--data", "d", "--out", "o", "--seeds", "x"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("'--seeds'")
        .hasMessageContaining("'x' is not an int");
    assertThatThrownBy(() -> ExperimentOptions.parse("--data", "d", "--out", "o", "--sizes", "a"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--sizes: not a number");
    assertThatThrownBy(() -> ExperimentOptions.parse("--data", "d", "--out", "o", "--noise", "1"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("[0, 1)");
    assertThatThrownBy(() -> ExperimentOptions.parse("--data", "d", "--out", "o", "--seeds", "0"))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> ExperimentOptions.parse("--data", "d", "--out", "o", "--colour", "x"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("Unknown options: '--colour'");
    assertThatThrownBy(() -> ExperimentOptions.parse("--data"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("Missing required parameter for option '--data'");
  }

  @Test
  void shouldNameTheKnownStudentKindsForAnUnknownOne() {
    assertThatThrownBy(() -> ExperimentCommand.kinds(List.of("hashed-linear", "forest"), 1.0))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("forest")
        .hasMessageContaining("hashed-linear");
  }

  @Test
  void shouldTakeTheDefaultStudentsThatThisBuildHas() {
    var names = ExperimentCommand.kinds(List.of(), 1.0).stream().map(k -> k.name()).toList();

    assertThat(names).contains("hashed-linear");
    assertThat(ExperimentOptions.DEFAULT_STUDENTS).containsAll(names);
  }

  @Test
  void shouldOfferTheFineTunedTransformerUnderSoftLabelsBesideItsHardSelf() {
    var names =
        ExperimentCommand.kinds(List.of("transformer-finetune", "transformer-finetune+soft"), 2.0)
            .stream()
            .map(k -> k.name())
            .toList();

    assertThat(names).containsExactly("transformer-finetune", "transformer-finetune+soft");
    assertThatThrownBy(() -> ExperimentCommand.kinds(List.of("hashed-linear+soft"), 1.0))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("only transformer-finetune learns soft targets")
        .hasMessageContaining("hashed-linear");
  }

  @Test
  void shouldReadTheTemperatureAndRefuseOneThatIsNotPositive() {
    assertThat(ExperimentOptions.parse("--data", "d", "--out", "o").temperature()).isEqualTo(1.0);
    assertThat(
            ExperimentOptions.parse("--data", "d", "--out", "o", "--temperature", "2.5")
                .temperature())
        .isEqualTo(2.5);
    assertThatThrownBy(
            () -> ExperimentOptions.parse("--data", "d", "--out", "o", "--temperature", "0"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--temperature must be a positive number");
  }

  @Test
  void shouldFineTuneTheShippedEncoderNamedAndRefuseAnother() {
    assertThat(ExperimentOptions.parse("--data", "d", "--out", "o").encoder())
        .isEqualTo("all-MiniLM-L6-v2");
    assertThat(
            ExperimentOptions.parse("--data", "d", "--out", "o", "--encoder", "bge-small-en-v1.5")
                .encoder())
        .isEqualTo("bge-small-en-v1.5");
    assertThatThrownBy(
            () -> ExperimentOptions.parse("--data", "d", "--out", "o", "--encoder", "bert-large"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--encoder: no shipped encoder 'bert-large'")
        .hasMessageContaining("bge-small-en-v1.5");
    var kinds =
        ExperimentCommand.kinds(
            List.of("transformer-finetune", "transformer-finetune+soft"), 1.0, "bge-small-en-v1.5");
    assertThat(kinds)
        .extracting(k -> k.name())
        .containsExactly("transformer-finetune", "transformer-finetune+soft");
    assertThat(kinds.get(0))
        .isInstanceOfSatisfying(
            io.distillery.students.TransformerFinetuneKind.class,
            k -> assertThat(k.settings().pretrained()).isEqualTo("bge-small-en-v1.5"));
  }

  @Test
  void shouldCorrectAnyKindByTheAuditedTextsItWasTrainedOn() {
    assertThat(ExperimentOptions.parse("--data", "d", "--out", "o").audit()).isEqualTo(250);
    assertThat(ExperimentOptions.parse("--data", "d", "--out", "o", "--audit", "40").audit())
        .isEqualTo(40);
    assertThatThrownBy(() -> ExperimentOptions.parse("--data", "d", "--out", "o", "--audit", "0"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--audit must be at least 1");
    // People said "negative" of a text the teacher called "positive", and agreed on another; the
    // third text was trained on but never reviewed.
    var audit = java.util.Map.of("dull film", "negative", "great film", "positive");
    var kinds =
        ExperimentCommand.kinds(
            List.of("hashed-linear", "hashed-linear+corrected"), 1.0, "all-MiniLM-L6-v2", 0, audit);
    assertThat(kinds)
        .extracting(k -> k.name())
        .containsExactly("hashed-linear", "hashed-linear+corrected");

    var trained =
        kinds
            .get(1)
            .train(
                List.of(
                    new io.distillery.students.LabeledExample("dull film", "positive"),
                    new io.distillery.students.LabeledExample("great film", "positive"),
                    new io.distillery.students.LabeledExample("awful film", "negative")),
                List.of("negative", "positive"),
                1,
                io.distillery.students.TrainingProgress.NONE)
            .student();

    assertThat(trained).isInstanceOf(io.distillery.students.CorrectedStudent.class);
    assertThat(((io.distillery.students.CorrectedStudent) trained).correction().counts())
        .isEqualTo(
            java.util.Map.of(
                "negative", java.util.Map.of("positive", 1L),
                "positive", java.util.Map.of("positive", 1L)));
  }

  @Test
  void shouldTrainTheAuditedVariantOnPeoplesLabelsAndTheAuditsTargets() {
    var audit = new java.util.HashMap<String, String>();
    var examples = new java.util.ArrayList<io.distillery.students.LabeledExample>();
    // The audit: the teacher's "positive" at a stated 0.6 is wrong three times in four, at 0.99
    // always right.
    for (int i = 0; i < 40; i++) {
      var text = "audited " + i;
      boolean confident = i % 2 == 0;
      audit.put(text, confident || i % 8 == 1 ? "positive" : "negative");
      examples.add(
          new io.distillery.students.LabeledExample(
              text,
              "positive",
              io.distillery.students.SoftTargets.fromConfidence(
                  "positive", confident ? 0.99 : 0.6)));
    }
    examples.add(
        new io.distillery.students.LabeledExample(
            "doubtful",
            "positive",
            io.distillery.students.SoftTargets.fromConfidence("positive", 0.6)));
    examples.add(
        new io.distillery.students.LabeledExample(
            "sure",
            "positive",
            io.distillery.students.SoftTargets.fromConfidence("positive", 0.99)));
    var learned = new java.util.ArrayList<io.distillery.students.LabeledExample>();
    var base = StudentKinds.builtIn().forName("hashed-linear");
    var recording =
        new io.distillery.students.StudentKind() {
          @Override
          public String name() {
            return base.name();
          }

          @Override
          public io.distillery.students.TrainedStudent train(
              List<io.distillery.students.LabeledExample> given,
              List<String> labels,
              long seed,
              io.distillery.students.TrainingProgress progress) {
            learned.addAll(given);
            return base.train(given, labels, seed, progress);
          }

          @Override
          public java.util.Map<String, String> save(
              io.distillery.students.Student student, java.nio.file.Path dir)
              throws java.io.IOException {
            return base.save(student, dir);
          }

          @Override
          public io.distillery.students.Student load(
              java.nio.file.Path dir, List<String> labels, java.util.Map<String, String> settings)
              throws java.io.IOException {
            return base.load(dir, labels, settings);
          }
        };
    var variant = new AuditedVariant("hashed-linear", recording, audit);

    variant.train(
        examples, List.of("negative", "positive"), 1, io.distillery.students.TrainingProgress.NONE);

    assertThat(variant.name()).isEqualTo("hashed-linear+audited");
    var byText = new java.util.HashMap<String, io.distillery.students.LabeledExample>();
    learned.forEach(e -> byText.put(e.text(), e));
    assertThat(byText).hasSize(42);
    assertThat(byText.get("audited 3").label())
        .as("people's label where they gave one")
        .isEqualTo("negative");
    assertThat(byText.get("audited 1").label()).isEqualTo("positive");
    assertThat(byText.get("doubtful").label())
        .as("the teacher's doubtful 'positive' is mostly wrong in the audit")
        .isEqualTo("negative");
    assertThat(byText.get("sure").label()).isEqualTo("positive");
    assertThat(
            ExperimentCommand.kinds(
                List.of("minilm-head+audited", "transformer-finetune+audited"),
                1.0,
                "all-MiniLM-L6-v2",
                0,
                audit))
        .extracting(k -> k.name())
        .containsExactly("minilm-head+audited", "transformer-finetune+audited");
  }

  @Test
  void shouldAnswerHelpWithTheUsageOfEveryOption() {
    assertThat(ExperimentOptions.parseOrHelp("--help")).isEmpty();
    assertThat(ExperimentOptions.USAGE)
        .contains("distillery experiment")
        .contains("--data")
        .contains("--audit")
        .contains("--student-usd-per-hour");
    // The default the usage states is the shipped encoder the students fine-tune by default.
    assertThat(ExperimentOptions.parse("--data", "d", "--out", "o").encoder())
        .isEqualTo(io.distillery.students.TransformerSettings.DEFAULT.pretrained());
  }
}
