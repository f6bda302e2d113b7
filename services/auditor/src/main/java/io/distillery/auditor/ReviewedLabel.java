package io.distillery.auditor;

/**
 * One reviewed item: the teacher's label beside the human's.
 *
 * @param task the task
 * @param promptVersion the prompt version of the teacher label
 * @param teacherLabel what the teacher said
 * @param humanLabel what the reviewer said
 */
public record ReviewedLabel(
    String task, String promptVersion, String teacherLabel, String humanLabel) {}
