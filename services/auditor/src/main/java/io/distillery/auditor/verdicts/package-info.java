/**
 * Verdicts as they arrive: read from people and tools ({@link
 * io.distillery.auditor.verdicts.VerdictForm}), checked against the codebook and the review
 * requests, routed on or dead-lettered, and counted.
 */
package io.distillery.auditor.verdicts;
