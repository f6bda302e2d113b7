/**
 * The Quarkus application: starts the roles named by {@code distillery.roles}, and serves the HTTP
 * API (ingest, quality), health per role and Prometheus metrics. Thin by design: the roles are
 * plain Java in their own modules.
 */
package io.distillery.app;
