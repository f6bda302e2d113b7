package io.distillery.registry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.inject.Produces;
import javax.inject.Singleton;

/**
 * Stands in for the {@code apicurio-common-app-components-config-index} Quarkus extension, which is
 * excluded from the build because its {@code -deployment} artifact is not available from Maven
 * Central. That extension scans the application at build time for {@code @Dynamic} configuration
 * properties and registers a {@link DynamicConfigPropertyList} bean, which {@code
 * DynamicConfigPropertyIndexImpl} injects.
 *
 * <p>An empty list is enough for this in-memory registry: every property is still read from the
 * static configuration (application.properties, system properties, environment); only editing
 * "dynamic" properties at runtime through {@code /apis/registry/v2/admin/config/properties} is
 * unavailable.
 */
public class DynamicConfigPropertyListProducer {

  @Produces
  @Singleton
  DynamicConfigPropertyList dynamicConfigPropertyList() {
    return new DynamicConfigPropertyList(List.of());
  }
}
