package io.distillery.auditor.agreement;

/**
 * One reviewed item: the teacher's label beside the people's.
 *
 * @param task the task
 * @param promptVersion the prompt version of the teacher label
 * @param teacherLabel what the teacher said
 * @param humanLabel what the first reviewer said: the label the teacher is measured against
 * @param secondHumanLabel what a second reviewer said, for human-versus-human agreement; null when
 *     one person reviewed the item
 * @param decidedAt when the first reviewer answered, epoch milliseconds; places the item in the
 *     sliding window
 */
public record ReviewedLabel(
    String task,
    String promptVersion,
    String teacherLabel,
    String humanLabel,
    String secondHumanLabel,
    long decidedAt) {

  /** An item one person reviewed, at the epoch (outside any window). */
  public ReviewedLabel(String task, String promptVersion, String teacherLabel, String humanLabel) {
    this(task, promptVersion, teacherLabel, humanLabel, null, 0L);
  }
}
