package io.distillery.app;

import io.distillery.classifier.Classifier;
import io.distillery.labeler.Labeler;
import io.distillery.labeler.openai.OpenAiTeacher;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * {@code GET /api/classifier}: what the student scores with, and what active learning saves: how
 * many texts went to the teacher and why, how many the student labelled alone, and what those would
 * have cost the teacher at its average price so far.
 */
@Path("/api/classifier")
public class ClassifierResource {

  /**
   * @param modelVersion the version scoring now; null before the first
   * @param modelKind its student kind; null before the first
   * @param scored texts scored
   * @param uncertain of those, flagged uncertain
   * @param pending texts waiting for a first model
   * @param deadLettered records sent to the dead-letter topic
   * @param toTeacher texts sent to the teacher, by reason ({@code no-model}, {@code uncertain},
   *     {@code sample})
   * @param studentOnly texts the student labelled alone
   * @param teacherShare share of the routed texts that went to the teacher
   * @param costPerTeacherLabelUsd the teacher's average cost per label so far; null when it runs in
   *     another process or makes no paid calls
   * @param estimatedSavedUsd what the student-only texts would have cost the teacher at that price
   */
  public record ClassifierView(
      Long modelVersion,
      String modelKind,
      long scored,
      long uncertain,
      long pending,
      long deadLettered,
      Map<String, Long> toTeacher,
      long studentOnly,
      Double teacherShare,
      Double costPerTeacherLabelUsd,
      Double estimatedSavedUsd) {}

  private final RoleSupervisor supervisor;

  ClassifierResource(RoleSupervisor supervisor) {
    this.supervisor = supervisor;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public ClassifierView classifier() {
    var classifier =
        supervisor
            .role(Classifier.class)
            .orElseThrow(
                () -> new NotFoundException("the classifier role does not run in this process"));
    var counters = classifier.counters();
    long toTeacher = counters.toTeacherTotal();
    long studentOnly = counters.studentOnly();
    var price = costPerLabel();
    var model = classifier.model();
    return new ClassifierView(
        model.map(m -> m.version()).orElse(null),
        model.map(m -> m.student().kind()).orElse(null),
        counters.scored(),
        counters.uncertain(),
        counters.pending(),
        counters.deadLettered(),
        counters.toTeacher(),
        studentOnly,
        toTeacher + studentOnly == 0 ? null : (double) toTeacher / (toTeacher + studentOnly),
        price,
        price == null ? null : price * studentOnly);
  }

  /** The in-process teacher's average dollars per label so far, if it is a paid one. */
  private Double costPerLabel() {
    return supervisor
        .role(Labeler.class)
        .filter(l -> l.teacher() instanceof OpenAiTeacher)
        .map(l -> ((OpenAiTeacher) l.teacher()).stats().snapshot())
        .filter(s -> s.labeledTexts() > 0)
        .map(s -> s.costUsd() / s.labeledTexts())
        .orElse(null);
  }
}
