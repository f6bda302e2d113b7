package io.distillery.auditor.agreement;

/**
 * What the auditor keeps of a sampled teacher label until its verdict arrives.
 *
 * @param task the task
 * @param promptVersion the prompt version
 * @param label the teacher's label
 */
public record TeacherVote(String task, String promptVersion, String label) {}
