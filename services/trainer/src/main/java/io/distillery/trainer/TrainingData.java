package io.distillery.trainer;

import io.distillery.common.StableHash;
import io.distillery.schema.LabeledText;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.SampleReason;
import io.distillery.students.LabeledExample;
import io.distillery.students.SoftTargets;
import io.distillery.students.TeacherCorrection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the trainer knows: the newest teacher labels under the current prompt version, one per text,
 * at most {@code window} of them (the training window: older labels fall out, so memory and
 * training time stay flat however long the stream runs), and the human labels with the texts they
 * were given on, kept apart from the window so no text people labelled is ever forgotten.
 *
 * <p>A text with a human label is kept out of training and used for evaluation, so reported metrics
 * are honest; unless people's labels are trained on, when a fixed share of those texts (by id hash)
 * is trained on with the human label and only the rest is evaluated on.
 */
final class TrainingData {

  /** The default training window: teacher labels kept (about 20 MB of tweet-length texts). */
  static final int DEFAULT_WINDOW = 50_000;

  /**
   * A teacher label.
   *
   * @param confidence the teacher's self-consistency (share of its samples that gave the label)
   *     where it has one, else its stated or log-probability confidence; null when neither
   * @param labeledAt when the teacher gave it
   */
  private record Taught(String text, String label, Double confidence, Instant labeledAt) {}

  private static final String SALT = "distillery.trainer.human-training";

  private final String promptVersion;
  private final double humanTrainingShare;
  private final int window;
  // Insertion order is arrival order (a label given again is moved to the end): the eldest entry
  // is the one the window drops.
  private final LinkedHashMap<String, Taught> teacherLabels = new LinkedHashMap<>();
  // The texts of reviewed items, from the review requests (and from teacher labels while they are
  // in the window): evaluation needs them after their teacher label left the window.
  private final Map<String, String> reviewedTexts = new HashMap<>();
  private final Map<String, String> humanLabels = new HashMap<>();
  // Why each reviewed text was sampled, and the teacher's label it was reviewed against: the audit
  // counts of the teacher's errors (TeacherCorrection) need both after the label left the window.
  private final Map<String, SampleReason> reviewReasons = new HashMap<>();
  private final Map<String, String> reviewedTeacherLabels = new HashMap<>();
  private long received;

  /**
   * The reasons for review that choose a text independently of how hard it is, so that what people
   * say of the texts a teacher gave a label is an unbiased sample of what they say of all of them.
   */
  static final Set<SampleReason> UNBIASED = Set.of(SampleReason.UNIFORM, SampleReason.STRATIFIED);

  /** Teacher labels only are trained on; every human label is evaluated on. */
  TrainingData(String promptVersion) {
    this(promptVersion, 0, DEFAULT_WINDOW);
  }

  /**
   * @param humanTrainingShare share of human-labelled texts trained on with their human label
   */
  TrainingData(String promptVersion, double humanTrainingShare) {
    this(promptVersion, humanTrainingShare, DEFAULT_WINDOW);
  }

  /**
   * @param humanTrainingShare share of human-labelled texts trained on with their human label
   * @param window the most teacher labels kept, newest first
   */
  TrainingData(String promptVersion, double humanTrainingShare, int window) {
    if (!(humanTrainingShare >= 0 && humanTrainingShare <= 1)) {
      throw new IllegalArgumentException(
          "distillery.trainer.human-training-share must be in [0, 1], got " + humanTrainingShare);
    }
    if (window < 1) {
      throw new IllegalArgumentException(
          "distillery.trainer.training-window must be at least 1, got " + window);
    }
    this.promptVersion = promptVersion;
    this.humanTrainingShare = humanTrainingShare;
    this.window = window;
  }

  private boolean trainedOn(String id) {
    return StableHash.unit(id, SALT) < humanTrainingShare;
  }

  /**
   * Keeps a teacher label if it was given under the current prompt version, as the newest of the
   * window; the eldest leaves the window when it is full.
   */
  void add(LabeledText labeled) {
    if (!promptVersion.equals(labeled.getTeacher().getPromptVersion())) {
      return;
    }
    var confidence =
        labeled.getConsistency() != null ? labeled.getConsistency() : labeled.getConfidence();
    var id = labeled.getId();
    teacherLabels.remove(id);
    teacherLabels.put(
        id, new Taught(labeled.getText(), labeled.getLabel(), confidence, labeled.getLabeledAt()));
    if (humanLabels.containsKey(id)) {
      reviewedTexts.put(id, labeled.getText());
    }
    if (humanLabels.containsKey(id) || reviewReasons.containsKey(id)) {
      reviewedTeacherLabels.put(id, labeled.getLabel());
    }
    received++;
    if (teacherLabels.size() > window) {
      var eldest = teacherLabels.entrySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  /** Keeps the text of a review request of the current prompt version. */
  void add(ReviewRequest request) {
    if (promptVersion.equals(request.getPromptVersion())) {
      var id = request.getId();
      reviewedTexts.put(id, request.getText());
      reviewReasons.put(id, request.getReason());
      var taught = teacherLabels.get(id);
      if (taught != null) {
        reviewedTeacherLabels.put(id, taught.label());
      }
    }
  }

  /**
   * Keeps the latest human label per text; a skip withdraws an earlier answer, as the auditor
   * counts it.
   */
  void add(ReviewVerdict verdict) {
    var id = verdict.getId();
    if (!verdict.getSkipped() && verdict.getLabel() != null) {
      humanLabels.put(id, verdict.getLabel());
      var taught = teacherLabels.get(id);
      if (taught != null) {
        reviewedTexts.put(id, taught.text());
        reviewedTeacherLabels.put(id, taught.label());
      }
    } else {
      humanLabels.remove(id);
    }
  }

  /**
   * The training set: the window's teacher-labelled texts without a human label, and the
   * human-labelled texts in the share trained on (with the human label), in id order.
   */
  List<LabeledExample> trainingSet() {
    var out = new TreeMap<String, LabeledExample>();
    teacherLabels.forEach(
        (id, taught) -> {
          if (!humanLabels.containsKey(id)) {
            out.put(
                id,
                new LabeledExample(
                    taught.text(),
                    taught.label(),
                    SoftTargets.fromConfidence(taught.label(), taught.confidence())));
          }
        });
    humanLabels.forEach(
        (id, human) -> {
          var text = textOfReviewed(id);
          if (text != null && trainedOn(id)) {
            out.put(id, new LabeledExample(text, human));
          }
        });
    return new ArrayList<>(out.values());
  }

  /** Human-labelled texts whose text is known, outside the share trained on: the evaluation set. */
  List<LabeledExample> evaluationSet() {
    var out = new ArrayList<LabeledExample>();
    forEachEvaluated((id, example) -> out.add(example));
    return out;
  }

  /** Each text of the evaluation set with its id, in id order. */
  private void forEachEvaluated(java.util.function.BiConsumer<String, LabeledExample> action) {
    new TreeMap<>(humanLabels)
        .forEach(
            (id, human) -> {
              var text = textOfReviewed(id);
              if (text != null && !trainedOn(id)) {
                action.accept(id, new LabeledExample(text, human));
              }
            });
  }

  /**
   * The evaluation set with the audit's correction for the teacher's errors: counted over the texts
   * people labelled that were sampled without regard to difficulty ({@link #UNBIASED}) and whose
   * teacher label is known, both labels in {@code labels}.
   *
   * @param correct whether to correct at all
   * @param minReviews the fewest counted texts for a correction; below, none
   */
  Evaluation evaluation(List<String> labels, boolean correct, int minReviews) {
    var counts = new TreeMap<String, Map<String, Long>>();
    long counted = 0;
    for (var entry : humanLabels.entrySet()) {
      var teacher = countedTeacherLabel(entry.getKey(), labels);
      if (teacher != null) {
        counts
            .computeIfAbsent(entry.getValue(), h -> new TreeMap<>())
            .merge(teacher, 1L, Long::sum);
        counted++;
      }
    }
    if (!correct || counted < minReviews) {
      return Evaluation.uncorrected(evaluationSet());
    }
    var examples = new ArrayList<LabeledExample>();
    var teachers = new ArrayList<String>();
    forEachEvaluated(
        (id, example) -> {
          examples.add(example);
          teachers.add(countedTeacherLabel(id, labels));
        });
    return new Evaluation(examples, teachers, Optional.of(TeacherCorrection.of(labels, counts)));
  }

  private String countedTeacherLabel(String id, List<String> labels) {
    var teacher = reviewedTeacherLabels.get(id);
    var reason = reviewReasons.get(id);
    return teacher != null
            && reason != null
            && UNBIASED.contains(reason)
            && labels.contains(teacher)
            && labels.contains(humanLabels.get(id))
        ? teacher
        : null;
  }

  private String textOfReviewed(String id) {
    var text = reviewedTexts.get(id);
    if (text != null) {
      return text;
    }
    var taught = teacherLabels.get(id);
    return taught == null ? null : taught.text();
  }

  /** Teacher labels in the window now. */
  int teacherLabelCount() {
    return teacherLabels.size();
  }

  /**
   * Teacher labels received under the current prompt version since this was made, a label given
   * again included: what the retrain rule counts new labels by; it grows past the window.
   */
  long received() {
    return received;
  }

  /** Teacher labels in the window given after {@code instant}. */
  long labelledAfter(Instant instant) {
    return teacherLabels.values().stream().filter(t -> t.labeledAt().isAfter(instant)).count();
  }

  /** The most teacher labels kept. */
  int window() {
    return window;
  }

  String promptVersion() {
    return promptVersion;
  }
}
