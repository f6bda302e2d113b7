package io.distillery.auditor;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;

/** The auditor's typed settings from plain properties, as the application maps them. */
public final class TestAuditorConfig {

  private TestAuditorConfig() {}

  public static AuditorConfig of(Map<String, String> settings) {
    return new SmallRyeConfigBuilder()
        .withMapping(AuditorConfig.class)
        .withSources(new PropertiesConfigSource(settings, "test", 100))
        .build()
        .getConfigMapping(AuditorConfig.class);
  }
}
