/**
 * The labeler role: a teacher labels each incoming text under the codebook, exactly once per text,
 * and whatever it cannot label goes to the dead-letter topic with the reason. Teachers sit behind
 * {@link io.distillery.labeler.Teacher}, so the LLM and zero-shot teachers plug in beside the
 * replay teacher.
 */
package io.distillery.labeler;
