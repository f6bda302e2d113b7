/**
 * The auditor role: samples teacher labels for blind human review, checks the verdicts against the
 * codebook (dead-lettering those that cannot count), joins them with the teacher's labels, and
 * publishes the agreement (accuracy, per-class precision/recall/F1, macro-F1, Cohen's kappa with
 * bootstrap intervals, the confusion matrix and both label mixes) and the gate status, with its
 * reason, per task and prompt version. {@link io.distillery.auditor.verdicts.VerdictForm} reads
 * verdicts posted by people and tools, so the HTTP layer only wires it.
 */
package io.distillery.auditor;
