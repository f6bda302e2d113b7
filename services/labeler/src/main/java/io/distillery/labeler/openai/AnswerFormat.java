package io.distillery.labeler.openai;

/**
 * How the answer is requested, from the strictest down. Servers that reject one are asked in the
 * next from then on; whatever the format, {@link AnswerParser} validates the answer.
 */
enum AnswerFormat {
  /** {@code response_format: json_schema}, strict, the label an enum of the codebook's labels. */
  JSON_SCHEMA,
  /** {@code response_format: json_object}: any JSON object. */
  JSON_OBJECT,
  /** No {@code response_format}: the prompt asks for JSON and the answer is parsed strictly. */
  TEXT;

  /** The next simpler format, or this one when there is none. */
  AnswerFormat simpler() {
    return this == TEXT ? TEXT : values()[ordinal() + 1];
  }
}
