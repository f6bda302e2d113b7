/**
 * The experiment command ({@code ./distillery experiment}): the paper's table on any labelled
 * dataset, reproducible and checkable. A teacher (recorded LLM labels, the zero-shot MiniLM, or an
 * OpenAI-compatible LLM) is measured against people; each student kind is trained on the teacher's
 * labels and on people's, under several seeds; the training labels are corrupted on purpose and cut
 * down, to show how quality degrades; and the teacher's cost for a whole stream is set against the
 * teacher for a sample and the student for the rest. Everything runs in one process with the same
 * library code the roles use (teachers from the labeler, students from the students module,
 * agreement, bootstrap and gate from the auditor); Kafka is not needed.
 */
package io.distillery.experiment;
