package io.distillery.experiment;

import io.distillery.auditor.agreement.Agreement;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well one set of labels (a teacher's or a student's) agrees with people's on the same texts.
 * Every number comes from the auditor's {@link Agreement}, so the experiment, the auditor's reports
 * and its gate share one definition of accuracy, macro-F1, κ and per-class precision and recall.
 * People are the reference: a class's precision is "of the texts given this label, the share people
 * gave it too", its recall the other way round. Macro-precision and macro-recall are kept apart
 * from macro-F1 because students trained on LLM labels are known to trade precision for recall.
 *
 * @param size texts compared
 * @param accuracy share of texts where both agree
 * @param macroF1 mean F1 over the labels either side used
 * @param kappa Cohen's κ
 * @param macroPrecision mean precision over the same labels; a label never given counts 0
 * @param macroRecall mean recall over the same labels; a label people never gave counts 0
 * @param perClass per label either side used, in label order
 */
public record Score(
    long size,
    double accuracy,
    double macroF1,
    double kappa,
    double macroPrecision,
    double macroRecall,
    Map<String, ClassScore> perClass) {

  /**
   * One label.
   *
   * @param support texts people gave the label
   * @param predicted texts the scored side gave the label
   * @param precision of those, the share people agree with; null when it never gave the label
   * @param recall of the texts people gave the label, the share it gave too; null when people never
   *     did
   * @param f1 2 · agreed / (predicted + support)
   */
  public record ClassScore(
      long support, long predicted, Double precision, Double recall, double f1) {}

  /**
   * The agreement of {@code predicted} with {@code reference}, pair by pair.
   *
   * @throws IllegalArgumentException when the lists differ in length or are empty
   */
  public static Agreement agreement(List<String> reference, List<String> predicted) {
    if (reference.size() != predicted.size()) {
      throw new IllegalArgumentException(
          "reference and predicted differ in size: " + reference.size() + ", " + predicted.size());
    }
    if (reference.isEmpty()) {
      throw new IllegalArgumentException("nothing to compare: no texts");
    }
    var confusion = new HashMap<String, Map<String, Long>>();
    for (int i = 0; i < reference.size(); i++) {
      confusion
          .computeIfAbsent(reference.get(i), k -> new HashMap<>())
          .merge(predicted.get(i), 1L, Long::sum);
    }
    return new Agreement(null, null, confusion);
  }

  /** The scores of {@code predicted} against {@code reference}. */
  public static Score of(List<String> reference, List<String> predicted) {
    return of(agreement(reference, predicted));
  }

  /** The scores of an agreement with at least one text. */
  public static Score of(Agreement agreement) {
    var perClass = new LinkedHashMap<String, ClassScore>();
    double precisions = 0;
    double recalls = 0;
    for (var entry : agreement.perClass().entrySet()) {
      var c = entry.getValue();
      perClass.put(
          entry.getKey(),
          new ClassScore(c.support(), c.predicted(), c.precision(), c.recall(), c.f1()));
      precisions += c.precision() == null ? 0 : c.precision();
      recalls += c.recall() == null ? 0 : c.recall();
    }
    int labels = perClass.size();
    return new Score(
        agreement.reviewed(),
        agreement.accuracy(),
        agreement.macroF1(),
        agreement.kappa(),
        precisions / labels,
        recalls / labels,
        Collections.unmodifiableMap(perClass));
  }
}
