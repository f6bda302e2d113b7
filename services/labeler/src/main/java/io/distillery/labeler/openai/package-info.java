/**
 * The {@code openai} teacher: any OpenAI-compatible chat-completions server (OpenAI, Azure, vLLM,
 * Ollama, llama.cpp server) labels texts under the codebook.
 *
 * <p>{@link io.distillery.labeler.openai.OpenAiTeacher} assembles small pieces, each testable on
 * its own: the prompt ({@code PromptBuilder}, {@code PiiRedactor}), the answer ({@code
 * AnswerParser}, {@code LogprobConfidence}), and the boundary ({@code ChatClient} for one HTTP
 * exchange, {@code ResilientChat} for budget, rate limit, circuit breaker and retries, with the
 * retriable-or-not decision in {@code Retriable} alone). Whatever the model answers, a label is
 * always one of the codebook's: the answer schema enumerates them and every answer is validated.
 */
package io.distillery.labeler.openai;
