package io.distillery.registry;

import io.apicurio.registry.storage.RegistryStorage;
import io.apicurio.registry.storage.dto.RuleConfigurationDto;
import io.apicurio.registry.types.Current;
import io.apicurio.registry.types.RuleType;
import io.quarkus.runtime.StartupEvent;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.context.control.ActivateRequestContext;
import javax.enterprise.event.Observes;
import javax.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Seeds the global COMPATIBILITY rule into (in-memory) storage at startup, before the HTTP server
 * accepts requests.
 *
 * <p>Apicurio's own {@code registry.rules.global.compatibility} property is deliberately not used:
 * such a config-level default is enforced, but it is not stored, so the Confluent-compatible {@code
 * GET /apis/ccompat/v7/config} reports {@code NONE} and {@code PUT /apis/ccompat/v7/config
 * {"compatibility":"NONE"}} answers 404 and cannot switch it off. A stored global rule behaves like
 * Confluent's global compatibility level in every respect.
 *
 * <p>Configured by {@code distillery.registry.default-compatibility} (e.g. BACKWARD,
 * BACKWARD_TRANSITIVE, FORWARD, FULL, ..., or NONE / empty for no rule).
 */
@ApplicationScoped
public class GlobalCompatibilityRuleInitializer {

  private static final Logger LOG = Logger.getLogger(GlobalCompatibilityRuleInitializer.class);

  private static final Set<String> LEVELS =
      Set.of(
          "BACKWARD",
          "BACKWARD_TRANSITIVE",
          "FORWARD",
          "FORWARD_TRANSITIVE",
          "FULL",
          "FULL_TRANSITIVE",
          "NONE");

  @Inject @Current RegistryStorage storage;

  @ConfigProperty(name = "distillery.registry.default-compatibility")
  Optional<String> defaultCompatibility;

  @ActivateRequestContext
  void onStart(@Observes StartupEvent event) {
    String level = defaultCompatibility.map(s -> s.trim().toUpperCase(Locale.ROOT)).orElse("");
    if (level.isEmpty() || level.equals("NONE")) {
      return;
    }
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          "distillery.registry.default-compatibility: unknown level '"
              + level
              + "', expected one of "
              + LEVELS);
    }
    if (storage.getGlobalRules().contains(RuleType.COMPATIBILITY)) {
      return;
    }
    storage.createGlobalRule(RuleType.COMPATIBILITY, new RuleConfigurationDto(level));
    LOG.debugf("Global COMPATIBILITY rule set to %s", level);
  }
}
