package io.distillery.auditor.probe;

/**
 * The drift probe's counts for one task and prompt version: over the probe texts whose latest label
 * came under it, how many changed since the label before, and how many agree with the probe file's
 * person. Immutable; a JSON document in the store.
 *
 * @param task the task
 * @param promptVersion the prompt version
 * @param items probe texts observed
 * @param compared of those, with a previous label
 * @param changed of those, whose label changed
 * @param referenced probe texts with a person's label
 * @param agreeing of those, where the teacher gave it
 */
public record ProbeSummary(
    String task,
    String promptVersion,
    long items,
    long compared,
    long changed,
    long referenced,
    long agreeing) {

  public static ProbeSummary empty() {
    return new ProbeSummary(null, null, 0, 0, 0, 0, 0);
  }

  public ProbeSummary add(ProbeObservation o) {
    return change(o, 1);
  }

  public ProbeSummary remove(ProbeObservation o) {
    return change(o, -1);
  }

  private ProbeSummary change(ProbeObservation o, long d) {
    return new ProbeSummary(
        o.task(),
        o.promptVersion(),
        items + d,
        compared + (o.compared() ? d : 0),
        changed + (o.changed() ? d : 0),
        referenced + (o.referenced() ? d : 0),
        agreeing + (o.agrees() ? d : 0));
  }

  /** Share of compared probe labels that changed since the previous run; null with none. */
  public Double changedShare() {
    return compared == 0 ? null : (double) changed / compared;
  }

  /** Share of referenced probe texts where the teacher gave the person's label; null with none. */
  public Double agreement() {
    return referenced == 0 ? null : (double) agreeing / referenced;
  }
}
