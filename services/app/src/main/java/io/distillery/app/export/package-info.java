/**
 * {@code ./distillery export}: a task's texts with their teacher, student and people's labels, and
 * an {@code audit.md} a methods section can cite, read from the topics.
 */
package io.distillery.app.export;
