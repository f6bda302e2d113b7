/**
 * Which teacher labels go to human review, and why: uniform, stratified by label, low confidence,
 * disagreement with the student, probes; with budgets and double review.
 */
package io.distillery.auditor.sampling;
