package io.distillery.trainer;

import io.distillery.common.StableHash;
import io.distillery.schema.LabeledText;
import io.distillery.schema.ReviewVerdict;
import io.distillery.students.LabeledExample;
import io.distillery.students.SoftTargets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the trainer knows: the latest teacher label per text under the current prompt version, and
 * the human labels. A text with a human label is kept out of training and used for evaluation, so
 * reported metrics are honest; unless people's labels are trained on, when a fixed share of those
 * texts (by id hash) is trained on with the human label and only the rest is evaluated on.
 */
final class TrainingData {

  /**
   * A teacher label.
   *
   * @param confidence the teacher's self-consistency (share of its samples that gave the label)
   *     where it has one, else its stated or log-probability confidence; null when neither
   */
  private record Taught(String text, String label, Double confidence) {}

  private static final String SALT = "distillery.trainer.human-training";

  private final String promptVersion;
  private final double humanTrainingShare;
  private final Map<String, Taught> teacherLabels = new HashMap<>();
  private final Map<String, String> humanLabels = new HashMap<>();

  /** Teacher labels only are trained on; every human label is evaluated on. */
  TrainingData(String promptVersion) {
    this(promptVersion, 0);
  }

  /**
   * @param humanTrainingShare share of human-labelled texts trained on with their human label
   */
  TrainingData(String promptVersion, double humanTrainingShare) {
    if (!(humanTrainingShare >= 0 && humanTrainingShare <= 1)) {
      throw new IllegalArgumentException(
          "distillery.trainer.human-training-share must be in [0, 1], got " + humanTrainingShare);
    }
    this.promptVersion = promptVersion;
    this.humanTrainingShare = humanTrainingShare;
  }

  private boolean trainedOn(String id) {
    return StableHash.unit(id, SALT) < humanTrainingShare;
  }

  /** Keeps a teacher label if it was given under the current prompt version. */
  void add(LabeledText labeled) {
    if (promptVersion.equals(labeled.getTeacher().getPromptVersion())) {
      var confidence =
          labeled.getConsistency() != null ? labeled.getConsistency() : labeled.getConfidence();
      teacherLabels.put(
          labeled.getId(), new Taught(labeled.getText(), labeled.getLabel(), confidence));
    }
  }

  /**
   * Keeps the latest human label per text; a skip withdraws an earlier answer, as the auditor
   * counts it.
   */
  void add(ReviewVerdict verdict) {
    if (!verdict.getSkipped() && verdict.getLabel() != null) {
      humanLabels.put(verdict.getId(), verdict.getLabel());
    } else {
      humanLabels.remove(verdict.getId());
    }
  }

  /**
   * Teacher-labelled texts without a human label, and those with one in the share trained on (with
   * the human label): the training set.
   */
  List<LabeledExample> trainingSet() {
    var out = new ArrayList<LabeledExample>();
    new TreeMap<>(teacherLabels)
        .forEach(
            (id, taught) -> {
              var human = humanLabels.get(id);
              if (human == null) {
                out.add(
                    new LabeledExample(
                        taught.text(),
                        taught.label(),
                        SoftTargets.fromConfidence(taught.label(), taught.confidence())));
              } else if (trainedOn(id)) {
                out.add(new LabeledExample(taught.text(), human));
              }
            });
    return out;
  }

  /** Human-labelled texts whose text is known, outside the share trained on: the evaluation set. */
  List<LabeledExample> evaluationSet() {
    var out = new ArrayList<LabeledExample>();
    new TreeMap<>(humanLabels)
        .forEach(
            (id, human) -> {
              var taught = teacherLabels.get(id);
              if (taught != null && !trainedOn(id)) {
                out.add(new LabeledExample(taught.text(), human));
              }
            });
    return out;
  }

  /** Teacher labels kept so far. */
  int teacherLabelCount() {
    return teacherLabels.size();
  }

  String promptVersion() {
    return promptVersion;
  }
}
