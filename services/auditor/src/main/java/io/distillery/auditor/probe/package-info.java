/**
 * The teacher drift probe: a fixed set of texts sent to the teacher again on a schedule, and how
 * much its labels of them changed.
 */
package io.distillery.auditor.probe;
