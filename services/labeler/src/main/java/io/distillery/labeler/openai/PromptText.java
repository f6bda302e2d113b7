package io.distillery.labeler.openai;

/**
 * A text as it is sent.
 *
 * @param id its id in the prompt and the answer
 * @param text its content, redacted when PII redaction is on
 */
record PromptText(String id, String text) {}
