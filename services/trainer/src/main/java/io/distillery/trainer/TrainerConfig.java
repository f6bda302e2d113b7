package io.distillery.trainer;

import io.distillery.students.Pooling;
import io.distillery.students.SoftTargets;
import io.distillery.students.minilm.MiniLmHeadSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the trainer role ({@code DISTILLERY_TRAINER_...} in the environment). */
@ConfigMapping(prefix = "distillery.trainer")
public interface TrainerConfig {

  /**
   * The student kind: {@code hashed-linear} (hashed word n-grams into a logistic regression),
   * {@code minilm-head} or {@code transformer-finetune}.
   */
  @WithDefault("hashed-linear")
  String student();

  /** Train again once this many new teacher labels arrived since the last model. */
  @WithDefault("200")
  int retrainEvery();

  /**
   * Train again once this long passed since the last model, if any new teacher label arrived in the
   * meantime, however few.
   */
  @WithDefault("PT30M")
  Duration retrainInterval();

  /**
   * A challenger is promoted unless its macro-F1 on the human set is worse than the champion's (on
   * the same set) by more than this; otherwise it is rejected and the champion stays.
   */
  @WithDefault("0.01")
  double promotionTolerance();

  /**
   * Train on people's labels where they exist, instead of the teacher's (the paper trains on
   * teacher labels only). A deterministic share of the human-verified texts ({@link
   * #humanTrainingShare()}, by id hash) then goes to training; the rest stays the evaluation set.
   */
  @WithDefault("false")
  boolean humanLabelsInTraining();

  /** With {@link #humanLabelsInTraining()}: the share of human-verified texts trained on. */
  @WithDefault("0.5")
  double humanTrainingShare();

  /**
   * The training window: the most teacher labels kept and trained on, the newest (one per text).
   * Older labels fall out, so memory, start-up and training time stay flat as the stream grows;
   * texts people labelled are kept apart and never fall out. A start reads this many labels per
   * partition of the labeled topic, not the whole topic.
   */
  @WithDefault("50000")
  int trainingWindow();

  /** Never train on fewer labelled texts than this. */
  @WithDefault("100")
  int minTrainingSize();

  /**
   * Wait for at least this many human-verified texts before training, so every model is measured
   * against people. 0 trains without them (the model then carries no human-set metrics).
   */
  @WithDefault("0")
  int minEvaluationSize();

  /**
   * Train only on labels whose prompt version the auditor's gate says PASS (DESIGN: nothing is
   * distilled from a teacher that failed the human check). {@code false} overrides it for
   * experiments and demos, and every training then says so in the log.
   */
  @WithDefault("true")
  boolean requireGatePass();

  /**
   * Serve the student through the audit's measure of the teacher's errors (people's label given the
   * teacher's, counted over uniformly and stratified sampled reviews): a student of a teacher that
   * over-calls one label learns to ask for more evidence of it. The model's metrics give its
   * macro-F1 with and without ({@code macro_f1_uncorrected}).
   */
  @WithDefault("true")
  boolean correctTeacherErrors();

  /** The fewest uniformly or stratified sampled reviews before the correction is applied. */
  @WithDefault("100")
  int correctionMinReviews();

  /** Where artifacts are written; defaults to {@code <state-dir>/models}. */
  Optional<String> modelsDir();

  /** Passes over the training set. */
  @WithDefault("8")
  int epochs();

  /** {@code hashed-linear}: hash buckets of the word n-gram features (a power of two). */
  @WithDefault("262144")
  int buckets();

  /** {@code hashed-linear}: word bigrams beside unigrams. */
  @WithDefault("true")
  boolean bigrams();

  /**
   * {@code hashed-linear}: character n-grams of each word, of lengths 3 to this, as features too
   * (helps with misspellings and hashtags); 0 for none.
   */
  @WithDefault("4")
  int charNgrams();

  /**
   * {@code hashed-linear}: the most texts per training step (a set of n is trained in batches of n
   * / 32, at least 32). Each step updates the whole hashed weight matrix, so large batches train
   * large sets much faster at the same quality.
   */
  @WithDefault("512")
  int batchSize();

  /** {@code hashed-linear}: Adam's learning rate. */
  @WithDefault("0.1")
  float learningRate();

  /** Weight classes by inverse frequency, so rare classes are not ignored. */
  @WithDefault("true")
  boolean classWeights();

  /** Seed of training, recorded on each model version. */
  @WithDefault("42")
  long seed();

  /** {@code minilm-head}: a head trained on frozen all-MiniLM-L6-v2 sentence vectors. */
  Minilm minilm();

  /** Settings of the {@code minilm-head} student. */
  interface Minilm {

    /** {@code mlp} (one hidden layer) or {@code logistic}. */
    @WithDefault("mlp")
    MiniLmHeadSettings.Head head();

    /** Units of the MLP's hidden layer. */
    @WithDefault("256")
    int hiddenSize();

    /** Passes over the training set. */
    @WithDefault("10")
    int epochs();

    /** Texts per step. */
    @WithDefault("32")
    int batchSize();

    /** Adam's learning rate. */
    @WithDefault("0.001")
    float learningRate();
  }

  /** {@code transformer-finetune}: fine-tuning of a pretrained encoder, end to end. */
  Transformer transformer();

  /**
   * Settings of the {@code transformer-finetune} student (defaults: {@code
   * TransformerSettings.DEFAULT}; {@code docs/transformer-student.md}).
   */
  interface Transformer {

    /**
     * A directory with a user's TorchScript export ({@code model.pt}) and its {@code
     * tokenizer.json}; unset, the all-MiniLM-L6-v2 that ships with Distillery is fine-tuned.
     */
    Optional<String> encoderDir();

    /**
     * Which shipped encoder is fine-tuned when {@link #encoderDir()} is unset: {@code
     * all-MiniLM-L6-v2} (6 layers) or {@code bge-small-en-v1.5} (12 layers: about twice as slow to
     * train and to score, a stronger start; docs/transformer-student.md).
     */
    @WithDefault("all-MiniLM-L6-v2")
    String pretrained();

    /** Tokens per text, special tokens included; longer texts are truncated. */
    @WithDefault("128")
    int maxLength();

    /** Most passes over the training set; early stopping on the held-out slice may end sooner. */
    @WithDefault("5")
    int epochs();

    /** Texts per step. */
    @WithDefault("16")
    int batchSize();

    /** AdamW's peak learning rate, encoder and head alike (linear warm-up, then linear decay). */
    @WithDefault("8e-5")
    float learningRate();

    /** AdamW's decoupled weight decay. */
    @WithDefault("0.01")
    float weightDecay();

    /** Share of the steps spent warming the learning rate up, in [0, 1). */
    @WithDefault("0.1")
    float warmupShare();

    /** Gradients are scaled down past this global L2 norm; 0 turns clipping off. */
    @WithDefault("1.0")
    float maxGradNorm();

    /**
     * Share of the teacher's labels held out to keep the best epoch and stop early, in [0, 0.5);
     * under 30 held-out texts nothing is held out.
     */
    @WithDefault("0.1")
    float validationShare();

    /** Epochs without a better held-out macro-F1 before training stops. */
    @WithDefault("1")
    int patience();

    /** {@code mean} or {@code cls}: how token states become one vector per text. */
    @WithDefault("mean")
    Pooling pooling();

    /**
     * {@code hard}: learn the teacher's label; {@code soft}: learn its distribution (its stated
     * confidence on the label, the rest shared by the others), at {@link #temperature()}.
     */
    @WithDefault("hard")
    SoftTargets.Distillation distillation();

    /** Softens (above 1) or sharpens the teacher's distribution under soft distillation. */
    @WithDefault("1.0")
    double temperature();
  }
}
