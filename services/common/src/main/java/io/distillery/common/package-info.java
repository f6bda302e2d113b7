/**
 * What every role shares and nothing role-specific: the typed topic registry, the Avro serdes in
 * the Confluent wire format, configuration, topic creation with the partition-readiness wait, dead
 * letters, codebooks and ingest. The development broker and registry live in {@code
 * services/devcluster}, which no role depends on.
 */
package io.distillery.common;
