package io.distillery.trainer;

import io.distillery.students.HashedFeaturizer;
import io.distillery.students.HashedLinearKind;
import io.distillery.students.HashedLinearStudent;
import io.distillery.students.StudentKind;
import io.distillery.students.StudentKinds;
import io.distillery.students.TrainingSettings;
import io.distillery.students.TransformerFinetuneKind;
import io.distillery.students.TransformerSettings;
import io.distillery.students.TransformerStudent;
import io.distillery.students.minilm.MiniLmHeadKind;
import io.distillery.students.minilm.MiniLmHeadSettings;
import io.distillery.students.minilm.MiniLmHeadStudent;
import java.nio.file.Path;

/** The student kind the trainer's config asks for, with its training settings. */
final class StudentKindsConfig {

  private StudentKindsConfig() {}

  /**
   * @throws IllegalArgumentException for an unknown kind, naming the known ones
   */
  static StudentKind kind(TrainerConfig config) {
    return switch (config.student()) {
      case HashedLinearStudent.KIND ->
          new HashedLinearKind(
              new TrainingSettings(
                  new HashedFeaturizer(config.buckets(), config.bigrams(), config.charNgrams()),
                  config.epochs(),
                  config.batchSize(),
                  config.learningRate(),
                  TrainingSettings.DEFAULT.weightDecay(),
                  config.classWeights(),
                  config.seed()));
      case MiniLmHeadStudent.KIND -> {
        var m = config.minilm();
        var head = m.head();
        yield new MiniLmHeadKind(
            new MiniLmHeadSettings(
                head,
                head == MiniLmHeadSettings.Head.MLP ? m.hiddenSize() : 0,
                m.epochs(),
                m.batchSize(),
                m.learningRate(),
                MiniLmHeadSettings.DEFAULT.weightDecay(),
                config.classWeights()));
      }
      case TransformerStudent.KIND -> {
        var t = config.transformer();
        yield new TransformerFinetuneKind(
            new TransformerSettings(
                t.encoderDir().map(Path::of).orElse(null),
                t.pretrained(),
                t.maxLength(),
                t.epochs(),
                t.batchSize(),
                t.learningRate(),
                t.weightDecay(),
                t.warmupShare(),
                t.maxGradNorm(),
                t.validationShare(),
                t.patience(),
                config.classWeights(),
                t.pooling(),
                t.distillation(),
                t.temperature(),
                config.seed()));
      }
      default ->
          throw new IllegalArgumentException(
              "distillery.trainer.student: unknown kind '"
                  + config.student()
                  + "'; known: "
                  + String.join(", ", StudentKinds.builtIn().names()));
    };
  }
}
