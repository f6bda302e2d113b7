package io.distillery.auditor.sampling;

import io.distillery.schema.LabeledText;
import io.distillery.schema.SampleReason;

/**
 * A teacher label chosen for review. Lives only between two processors of one sub-topology.
 *
 * @param labeled the teacher's label
 * @param reason why it was chosen
 * @param reviewers how many different people should label it
 */
public record Sampled(LabeledText labeled, SampleReason reason, int reviewers) {}
