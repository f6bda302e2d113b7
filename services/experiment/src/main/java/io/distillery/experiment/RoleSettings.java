package io.distillery.experiment;

import io.distillery.auditor.AuditorConfig;
import io.distillery.labeler.TeacherConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The roles' own settings, read the way the roles read them, so the experiment measures what the
 * running system would do: the teacher's ({@code distillery.teacher.*}: model, key, price table)
 * and the auditor's ({@code distillery.auditor.*}: gate thresholds, bootstrap). Sources, strongest
 * first: the command's own choices, system properties, the environment ({@code
 * DISTILLERY_TEACHER_MODEL}…), the application's {@code application.properties} when the app jar is
 * on the class path (the launcher puts it there: the price table lives in it), and last the
 * conventional {@code OPENAI_API_KEY} and {@code OPENAI_BASE_URL}, as the application maps them.
 */
final class RoleSettings {

  private static final Map<String, String> CONVENTIONS =
      Map.of(
          "distillery.teacher.api-key", "${OPENAI_API_KEY:}",
          "distillery.teacher.base-url", "${OPENAI_BASE_URL:https://api.openai.com/v1}");

  private RoleSettings() {}

  /**
   * The settings, with {@code overrides} (property names to values) above every other source.
   *
   * @throws IllegalArgumentException when a setting is malformed
   */
  static SmallRyeConfig load(Map<String, String> overrides) {
    var builder =
        new SmallRyeConfigBuilder()
            .addDefaultSources()
            // Expands ${OPENAI_API_KEY:} and the like, as Quarkus does in the application.
            .addDefaultInterceptors()
            .withMapping(TeacherConfig.class)
            .withMapping(AuditorConfig.class)
            .withSources(new PropertiesConfigSource(CONVENTIONS, "openai-conventions", 100))
            .withSources(new PropertiesConfigSource(overrides, "experiment", 500));
    var app = RoleSettings.class.getClassLoader().getResource("application.properties");
    if (app != null) {
      try {
        builder.withSources(new PropertiesConfigSource(app, 250));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + app, e);
      }
    }
    return builder.build();
  }
}
