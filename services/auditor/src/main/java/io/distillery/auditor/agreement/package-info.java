/**
 * The teacher against people: the human labels per text, the agreement (confusion matrix, accuracy,
 * per-class scores, macro-F1, kappa, bootstrap intervals), the gate and the quality report it
 * publishes.
 */
package io.distillery.auditor.agreement;
