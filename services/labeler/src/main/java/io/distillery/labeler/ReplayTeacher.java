package io.distillery.labeler;

import io.distillery.common.Codebook;
import io.distillery.schema.TeacherIdentity;
import io.distillery.schema.TextEvent;
import java.util.List;

/**
 * Replays labels recorded earlier, from a metadata field of each event (by default {@code
 * llm_label}, the label a real LLM gave in the shared datasets). Costs nothing and needs no
 * network: the teacher for demos, tests and re-distilling recorded labels.
 */
public final class ReplayTeacher implements Teacher {

  private final Codebook codebook;
  private final String field;
  private final TeacherIdentity identity;

  public ReplayTeacher(Codebook codebook, String field) {
    this.codebook = codebook;
    this.field = field;
    this.identity = new TeacherIdentity("replay", "metadata:" + field, codebook.promptVersion());
  }

  @Override
  public TeacherIdentity identity() {
    return identity;
  }

  @Override
  public List<Outcome> label(List<TextEvent> events) {
    return events.stream().map(this::label).toList();
  }

  private Outcome label(TextEvent event) {
    var label = event.getMetadata().get(field);
    if (label == null || label.isBlank()) {
      return new Failed("no recorded label in metadata field '" + field + "'");
    }
    if (!codebook.hasLabel(label)) {
      return new Failed("recorded label '" + label + "' is not one of " + codebook.labelNames());
    }
    return new Labeled(TeacherLabel.free(label));
  }
}
