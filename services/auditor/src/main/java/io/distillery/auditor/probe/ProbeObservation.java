package io.distillery.auditor.probe;

/**
 * The teacher's latest label of one probe text, beside its previous one and the file's.
 *
 * @param task the task
 * @param promptVersion the prompt version of the latest label
 * @param compared whether there was a previous label to compare with
 * @param changed whether the latest label differs from the previous one
 * @param referenced whether the probe file gives a person's label for the text
 * @param agrees whether the latest label is the person's
 */
public record ProbeObservation(
    String task,
    String promptVersion,
    boolean compared,
    boolean changed,
    boolean referenced,
    boolean agrees) {}
