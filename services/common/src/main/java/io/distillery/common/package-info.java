/**
 * What every role shares and nothing role-specific: the typed topic registry, the Avro serdes in
 * the Confluent wire format, configuration, topic creation with the partition-readiness wait, dead
 * letters, codebooks, ingest, and the embedded KRaft broker used by {@code ./distillery up} and the
 * tests.
 */
package io.distillery.common;
