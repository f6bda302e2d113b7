/**
 * The auditor role: samples teacher labels for blind human review, joins the verdicts with the
 * teacher's labels, and publishes the agreement (accuracy, macro-F1, Cohen's kappa, confusion
 * matrix) and the gate status per task and prompt version.
 */
package io.distillery.auditor;
