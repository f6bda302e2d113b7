package io.distillery.registry;

import io.quarkus.runtime.StartupEvent;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps the Sentry 1.x client that Apicurio bundles from ever sending anything.
 *
 * <p>With {@code registry.enable.sentry=false} Apicurio does not initialise Sentry itself, but the
 * Sentry jar registers a servlet listener that lazily creates a client on the first server error,
 * looking up its DSN in (among others) the {@code sentry.dsn} system property and the {@code
 * SENTRY_DSN} environment variable. A stray {@code SENTRY_DSN} would therefore make the registry
 * report errors to a remote server. The system property is consulted first, so pinning it to
 * Sentry's no-op DSN here (before HTTP is served) rules that out.
 */
@ApplicationScoped
public class SentryGuard {

  static final String NOOP_DSN = "noop://localhost?async=false";

  @ConfigProperty(name = "registry.enable.sentry", defaultValue = "false")
  boolean sentryEnabled;

  void onStart(@Observes StartupEvent event) {
    if (!sentryEnabled && System.getProperty("sentry.dsn") == null) {
      System.setProperty("sentry.dsn", NOOP_DSN);
    }
  }
}
