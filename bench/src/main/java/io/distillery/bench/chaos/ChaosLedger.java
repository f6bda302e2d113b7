package io.distillery.bench.chaos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the chaos run sent, set against what the topics hold at the end: a pure account, so the
 * rules it checks read (and are tested) apart from the processes that produced the records.
 *
 * <ul>
 *   <li>every good raw id scored exactly once;
 *   <li>every id sent to the teacher labeled exactly once, or dead-lettered from the teacher's
 *       topic with a reason;
 *   <li>every poison record dead-lettered from the raw topic, exactly once, with a reason;
 *   <li>every verdict counted once by the auditor (its last quality report's {@code reviewed}), and
 *       none dead-lettered;
 *   <li>the models topic ends with a champion (its last PROMOTED record), the version the
 *       classifier scores with, and holds no record twice (the same version, status and reason: a
 *       trainer redoing a publication after a crash).
 * </ul>
 *
 * "Lost" counts good ids not scored and teacher ids neither labeled nor dead-lettered; "duplicated"
 * counts every extra copy of an id on the scored, teacher, labeled or dead-letter topics.
 */
public final class ChaosLedger {

  /** How many ids a problem line names at most. */
  private static final int EXAMPLES = 5;

  // Filled from producer callbacks while the run reads the sizes: concurrent sets.
  private final Set<String> goodIds = ConcurrentHashMap.newKeySet();
  private final Set<String> poisonKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> verdictIds = ConcurrentHashMap.newKeySet();

  /** One dead letter as the account needs it. */
  public record DeadLetter(String key, String sourceTopic, String reason) {}

  /**
   * What the topics hold at the end.
   *
   * @param scoredIds the key of every record on the scored topic
   * @param forTeacherIds the key of every record on the teacher's topic
   * @param labeledIds the key of every record on the labeled topic
   * @param deadLetters every record on the dead-letter topic
   * @param reviewed the auditor's last {@code reviewed} count, null without a report
   * @param champion the version of the last PROMOTED record on the models topic, null for none
   * @param repeatedModelRecords records on the models topic that repeat an earlier record's
   *     version, status and reason
   * @param classifierVersion the version the classifier says it scores with, null for none
   */
  public record Observed(
      List<String> scoredIds,
      List<String> forTeacherIds,
      List<String> labeledIds,
      List<DeadLetter> deadLetters,
      Long reviewed,
      Long champion,
      int repeatedModelRecords,
      Long classifierVersion) {}

  /** The account's outcome; {@link #ok()} when nothing was lost, duplicated or left unmatched. */
  public record Outcome(
      int lost,
      int duplicated,
      int poisonDeadLettered,
      int poisonSent,
      long verdictsCounted,
      int verdictsSent,
      int teacherIds,
      List<String> problems) {

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** A good text the broker acknowledged. */
  public void sentGood(String id) {
    goodIds.add(id);
  }

  /** A poison record the broker acknowledged, under its (unique) key. */
  public void sentPoison(String key) {
    poisonKeys.add(key);
  }

  /** A verdict the broker acknowledged, for the text {@code id}. */
  public void sentVerdict(String id) {
    verdictIds.add(id);
  }

  /** Good texts acknowledged so far. */
  public int good() {
    return goodIds.size();
  }

  /** Verdicts acknowledged so far. */
  public int verdicts() {
    return verdictIds.size();
  }

  /**
   * Sets what was sent against what the topics hold.
   *
   * @param rawTopic the raw topic's name, the source poison is dead-lettered from
   * @param forTeacherTopic the teacher topic's name, the source a failed teacher call is
   *     dead-lettered from
   * @param verdictTopics the topics a dead-lettered verdict names as its source
   */
  public Outcome settle(
      Observed observed,
      String rawTopic,
      String forTeacherTopic,
      Collection<String> verdictTopics) {
    var problems = new ArrayList<String>();
    var scored = counts(observed.scoredIds());
    var forTeacher = counts(observed.forTeacherIds());
    var labeled = counts(observed.labeledIds());
    var poisonLetters = new HashMap<String, Integer>();
    var teacherLetters = new HashMap<String, Integer>();
    var verdictLetters = new ArrayList<DeadLetter>();
    var goodLetters = new ArrayList<DeadLetter>();
    var reasonless = new ArrayList<DeadLetter>();
    for (var letter : observed.deadLetters()) {
      if (letter.reason() == null || letter.reason().isBlank()) {
        reasonless.add(letter);
      }
      if (rawTopic.equals(letter.sourceTopic()) && poisonKeys.contains(letter.key())) {
        poisonLetters.merge(letter.key(), 1, Integer::sum);
      } else if (forTeacherTopic.equals(letter.sourceTopic())) {
        teacherLetters.merge(letter.key(), 1, Integer::sum);
      } else if (verdictTopics.contains(letter.sourceTopic())) {
        verdictLetters.add(letter);
      } else if (goodIds.contains(letter.key())) {
        goodLetters.add(letter);
      }
    }

    var unscored = new TreeSet<String>();
    int duplicated = 0;
    for (var id : goodIds) {
      int n = scored.getOrDefault(id, 0);
      if (n == 0) {
        unscored.add(id);
      }
      duplicated += Math.max(0, n - 1);
    }
    var unlabeled = new TreeSet<String>();
    for (var entry : forTeacher.entrySet()) {
      var id = entry.getKey();
      duplicated += entry.getValue() - 1;
      int answers = labeled.getOrDefault(id, 0) + teacherLetters.getOrDefault(id, 0);
      if (answers == 0) {
        unlabeled.add(id);
      }
      duplicated += Math.max(0, answers - 1);
    }
    var notDeadLettered = new TreeSet<String>();
    for (var key : poisonKeys) {
      int n = poisonLetters.getOrDefault(key, 0);
      if (n == 0) {
        notDeadLettered.add(key);
      }
      duplicated += Math.max(0, n - 1);
    }
    int lost = unscored.size() + unlabeled.size();

    if (!unscored.isEmpty()) {
      problems.add(unscored.size() + " good texts never scored, e.g. " + first(unscored));
    }
    if (!unlabeled.isEmpty()) {
      problems.add(
          unlabeled.size()
              + " texts sent to the teacher neither labeled nor dead-lettered, e.g. "
              + first(unlabeled));
    }
    if (duplicated > 0) {
      problems.add(
          duplicated + " duplicated records on the scored, teacher, labeled or dead-letter topics");
    }
    if (!notDeadLettered.isEmpty()) {
      problems.add(
          notDeadLettered.size()
              + " poison records not dead-lettered, e.g. "
              + first(notDeadLettered));
    }
    if (!goodLetters.isEmpty()) {
      problems.add(goodLetters.size() + " good texts dead-lettered, e.g. " + goodLetters.get(0));
    }
    if (!reasonless.isEmpty()) {
      problems.add(reasonless.size() + " dead letters without a reason, e.g. " + reasonless.get(0));
    }
    if (!verdictLetters.isEmpty()) {
      problems.add(
          verdictLetters.size() + " verdicts dead-lettered, e.g. " + verdictLetters.get(0));
    }
    long counted = observed.reviewed() == null ? 0 : observed.reviewed();
    if (counted != verdictIds.size()) {
      problems.add("the auditor counted " + counted + " verdicts of " + verdictIds.size());
    }
    duplicated += observed.repeatedModelRecords();
    if (observed.repeatedModelRecords() > 0) {
      problems.add(observed.repeatedModelRecords() + " model records repeat an earlier one");
    }
    if (observed.champion() == null) {
      problems.add("the models topic has no champion");
    } else if (!observed.champion().equals(observed.classifierVersion())) {
      problems.add(
          "the classifier scores with version "
              + observed.classifierVersion()
              + ", the champion is "
              + observed.champion());
    }
    return new Outcome(
        lost,
        duplicated,
        poisonKeys.size() - notDeadLettered.size(),
        poisonKeys.size(),
        counted,
        verdictIds.size(),
        forTeacher.size(),
        List.copyOf(problems));
  }

  private static Map<String, Integer> counts(List<String> ids) {
    var out = new HashMap<String, Integer>();
    ids.forEach(id -> out.merge(id, 1, Integer::sum));
    return out;
  }

  private static String first(TreeSet<String> ids) {
    return ids.stream().limit(EXAMPLES).toList().toString();
  }
}
