/**
 * The zero-shot teacher: labels a text by which label's description it sits closest to in the
 * embedding space of all-MiniLM-L6-v2 (quantized, shipped inside the LangChain4j jar). It needs no
 * network, no key and no money, so it is the offline teacher for demos and tests and a floor that
 * an LLM teacher has to beat; on subtle tasks it is near chance, and the auditor says so.
 *
 * <p>The encoder, {@link io.distillery.students.minilm.MiniLmEncoder}, lives in the students
 * module, which the {@code minilm-head} student shares.
 */
package io.distillery.labeler.zeroshot;
