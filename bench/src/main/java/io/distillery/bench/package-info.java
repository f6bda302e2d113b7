/**
 * Benchmarks, run by hand from the repository root and written up in {@code docs/benchmarks.md}.
 * Speed is measured here and never asserted in a test: a wall-clock limit in a test fails on a busy
 * machine and passes on a fast one, whatever the code does.
 *
 * <p>{@link io.distillery.bench.TeacherBench} measures the OpenAI-compatible teacher's throughput
 * and prompt tokens against a loopback stub with a fixed latency. {@link
 * io.distillery.bench.ClassifierBench} measures the classifier end to end on a real broker, with a
 * {@code hashed-linear} and a {@code minilm-head} student, against a bare Kafka Streams
 * passthrough.
 */
package io.distillery.bench;
