package io.distillery.app.export;

import io.distillery.schema.LabeledText;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.QualityReport;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.SampleReason;
import io.distillery.schema.ScoredText;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the topics say about one task, gathered record by record in topic order: the latest teacher
 * label and student score of each text, each reviewer's latest answer, why texts were sampled for
 * review, the latest quality report of each prompt version and the latest record of each model
 * version. Pure: {@link Export} feeds it. Holds every text of the task in memory (its text once,
 * about 1 KB a text with both labels).
 */
public final class ExportData {

  /**
   * One person's answer.
   *
   * @param reviewer who
   * @param label the label given
   * @param decidedAt epoch milliseconds
   */
  public record HumanLabel(String reviewer, String label, long decidedAt) {}

  /**
   * One text with everything known of it.
   *
   * @param id the text id
   * @param text the text
   * @param source where it came from
   * @param teacher its latest teacher label, or null
   * @param student its latest score, or null
   * @param people each reviewer's latest label, skips left out
   */
  public record Row(
      String id,
      String text,
      String source,
      LabeledText teacher,
      ScoredText student,
      List<HumanLabel> people) {}

  private final String task;
  private final Map<String, LabeledText> labeled = new LinkedHashMap<>();
  private final Map<String, ScoredText> scored = new LinkedHashMap<>();
  // id -> reviewer -> latest label; a skip withdraws that reviewer's label.
  private final Map<String, Map<String, HumanLabel>> people = new LinkedHashMap<>();
  private final Map<SampleReason, Long> sampleReasons = new EnumMap<>(SampleReason.class);
  private final Map<String, SampleReason> sampled = new LinkedHashMap<>();
  private final Map<String, QualityReport> reports = new TreeMap<>();
  private final Map<Long, ModelVersion> models = new TreeMap<>();
  private long verdicts;
  private long skips;

  /**
   * @param task the codebook task exported; records of other tasks are passed over
   */
  public ExportData(String task) {
    this.task = task;
  }

  /** A teacher label: the latest of a text replaces the one before. */
  public void labeled(LabeledText label) {
    if (task.equals(label.getTask())) {
      labeled.put(label.getId(), label);
    }
  }

  /** A student score (the model is named after its task): the latest replaces the one before. */
  public void scored(ScoredText score) {
    if (task.equals(score.getModelName())) {
      scored.put(score.getId(), score);
    }
  }

  /** A review request: counted once per text, by why it was drawn. */
  public void requested(ReviewRequest request) {
    if (task.equals(request.getTask())
        && sampled.putIfAbsent(request.getId(), request.getReason()) == null) {
      sampleReasons.merge(request.getReason(), 1L, Long::sum);
    }
  }

  /** A person's answer: a reviewer's later answer replaces the earlier, a skip withdraws it. */
  public void verdict(ReviewVerdict verdict) {
    if (!task.equals(verdict.getTask())) {
      return;
    }
    verdicts++;
    var byReviewer = people.computeIfAbsent(verdict.getId(), i -> new LinkedHashMap<>());
    if (verdict.getSkipped() || verdict.getLabel() == null) {
      skips++;
      byReviewer.remove(verdict.getReviewer());
    } else {
      byReviewer.put(
          verdict.getReviewer(),
          new HumanLabel(
              verdict.getReviewer(), verdict.getLabel(), verdict.getDecidedAt().toEpochMilli()));
    }
  }

  /** A quality report: the latest of each prompt version counts. */
  public void report(QualityReport report) {
    if (task.equals(report.getTask())) {
      reports.put(report.getPromptVersion(), report);
    }
  }

  /** A model record: the latest of each version counts. */
  public void model(ModelVersion model) {
    if (task.equals(model.getName())) {
      models.put(model.getVersion(), model);
    }
  }

  /** The task. */
  public String task() {
    return task;
  }

  /** Every text the teacher labeled, the student scored or people reviewed, in first-seen order. */
  public List<Row> rows() {
    var ids = new LinkedHashMap<String, Boolean>();
    labeled.keySet().forEach(id -> ids.put(id, true));
    scored.keySet().forEach(id -> ids.put(id, true));
    people.forEach(
        (id, by) -> {
          if (!by.isEmpty()) {
            ids.put(id, true);
          }
        });
    var out = new ArrayList<Row>(ids.size());
    for (var id : ids.keySet()) {
      var teacher = labeled.get(id);
      var student = scored.get(id);
      var text = student != null ? student.getText() : teacher != null ? teacher.getText() : null;
      var source =
          student != null ? student.getSource() : teacher != null ? teacher.getSource() : "";
      out.add(
          new Row(
              id,
              text,
              source,
              teacher,
              student,
              List.copyOf(people.getOrDefault(id, Map.of()).values())));
    }
    return out;
  }

  /** Texts with a teacher label. */
  public long teacherLabeled() {
    return labeled.size();
  }

  /** Texts the student scored. */
  public long studentScored() {
    return scored.size();
  }

  /** Texts with at least one person's label. */
  public long peopleLabeled() {
    return people.values().stream().filter(by -> !by.isEmpty()).count();
  }

  /** Verdicts read, skips included. */
  public long verdicts() {
    return verdicts;
  }

  /** Of those, skips. */
  public long skips() {
    return skips;
  }

  /** Distinct reviewers with a label standing. */
  public long reviewers() {
    return people.values().stream().flatMap(by -> by.keySet().stream()).distinct().count();
  }

  /** Teacher labels per prompt version (the latest label of each text). */
  public Map<String, Long> promptVersions() {
    var out = new TreeMap<String, Long>();
    labeled.values().forEach(l -> out.merge(l.getTeacher().getPromptVersion(), 1L, Long::sum));
    return out;
  }

  /** Texts sampled for review, by why. */
  public Map<SampleReason, Long> sampleReasons() {
    return Map.copyOf(sampleReasons);
  }

  /** The latest quality report of each prompt version. */
  public Map<String, QualityReport> reports() {
    return Map.copyOf(reports);
  }

  /** The latest record of each model version, oldest version first. */
  public List<ModelVersion> models() {
    return List.copyOf(models.values());
  }
}
