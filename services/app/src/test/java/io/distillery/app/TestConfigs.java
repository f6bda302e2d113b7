package io.distillery.app;

import io.distillery.auditor.AuditorConfig;
import io.distillery.classifier.ClassifierConfig;
import io.distillery.common.DistilleryConfig;
import io.distillery.labeler.LabelerConfig;
import io.distillery.labeler.TeacherConfig;
import io.distillery.trainer.TrainerConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;

/**
 * Typed role configuration built from plain properties, exactly as the application maps them,
 * without Quarkus.
 */
final class TestConfigs {

  /**
   * Every mapping under {@code distillery}: each must know the others, or their keys count as
   * unmapped.
   */
  private static final List<Class<?>> MAPPINGS =
      List.of(
          DistilleryConfig.class,
          LabelerConfig.class,
          TeacherConfig.class,
          AuditorConfig.class,
          TrainerConfig.class,
          ClassifierConfig.class);

  private TestConfigs() {}

  static <T> T mapping(Class<T> type, Map<String, String> properties) {
    var builder =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(properties, "test", 500));
    MAPPINGS.forEach(builder::withMapping);
    return builder.build().getConfigMapping(type);
  }
}
