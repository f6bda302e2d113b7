/**
 * Benchmarks, run by hand from the repository root and written up in {@code docs/benchmarks.md}.
 * Speed is measured here and never asserted in a test: a wall-clock limit in a test fails on a busy
 * machine and passes on a fast one, whatever the code does.
 *
 * <p>{@link io.distillery.bench.TeacherBench} measures the OpenAI-compatible teacher's throughput
 * and prompt tokens against a loopback stub with a fixed latency.
 */
package io.distillery.bench;
