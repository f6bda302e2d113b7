/**
 * Sentence embeddings from all-MiniLM-L6-v2 (quantized, shipped inside the LangChain4j jar), and
 * the {@code minilm-head} student that trains a small head on them. The encoder lives here, with
 * the students, because both the labeler's zero-shot teacher and the students embed with it: one
 * copy, so a teacher and a student never disagree about what a text's vector is.
 *
 * <p>The model runs through DJL's OnnxRuntime engine with DJL's HuggingFace tokenizer;
 * LangChain4j's own embedding classes are never used (DESIGN.md, Pitfalls: two ONNX Runtime
 * environments in one JVM clash).
 */
package io.distillery.students.minilm;
