package io.distillery.deploy;

import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether an environment variable is something the app reads. Quarkus maps an environment variable
 * to a setting by upper-casing the setting's name and turning every other character into {@code _}
 * ({@code distillery.trainer.models-dir} → {@code DISTILLERY_TRAINER_MODELS_DIR}), so a misspelt
 * name is silently ignored; these checks catch it before a pod does.
 *
 * <p>Known names, each from the code itself: every property of every {@code @ConfigMapping}
 * interface under {@code services/} (found in the sources, read through SmallRye Config's own
 * mapping model), every {@code ${NAME}} that {@code application.properties} expands, every setting
 * that file sets (the Quarkus ones, e.g. {@code QUARKUS_HTTP_HOST}), and the few variables the JVM
 * image and DJL read outside Quarkus, each listed with why.
 */
final class AppSettings {

  /** Read outside Quarkus's config: by the base image's start script, by DJL, by the JVM. */
  static final List<String> OUTSIDE_CONFIG =
      List.of(
          // DJL: never call home, never download (DESIGN.md, Pitfalls).
          "OPT_OUT_TRACKING",
          "DJL_OFFLINE",
          // DJL: where it unpacks the natives from their jars.
          "DJL_CACHE_DIR",
          "ENGINE_CACHE_DIR",
          // DJL: a CUDA libtorch in the GPU image (docs/transformer-student.md).
          "PYTORCH_LIBRARY_PATH",
          "PYTORCH_VERSION",
          "PYTORCH_FLAVOR",
          // The UBI OpenJDK image's run-java.sh.
          "JAVA_OPTS_APPEND",
          "JAVA_APP_JAR",
          "JAVA_MAX_MEM_RATIO",
          "LANGUAGE");

  /** The app's own settings file. */
  static final String APP_PROPERTIES = "services/app/src/main/resources/application.properties";

  /** The packaged registry's settings file. */
  static final String REGISTRY_PROPERTIES =
      "deploy/schema-registry/src/main/resources/application.properties";

  private final List<Pattern> mapped;
  private final TreeSet<String> exact = new TreeSet<>();

  private AppSettings(List<Pattern> mapped) {
    this.mapped = mapped;
  }

  /** The app's settings, from the sources and application.properties of this repository. */
  static AppSettings load() {
    var patterns = new ArrayList<Pattern>();
    for (var mapping : configMappings()) {
      for (var property : ConfigMappings.getProperties(mapping).keySet()) {
        patterns.add(envPattern(property));
      }
    }
    var settings = new AppSettings(patterns);
    var text = Repo.read(APP_PROPERTIES);
    var expression = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    var matcher = expression.matcher(text);
    while (matcher.find()) {
      settings.exact.add(matcher.group(1));
    }
    for (var name : Repo.properties(APP_PROPERTIES).stringPropertyNames()) {
      settings.exact.add(envName(name));
    }
    settings.exact.addAll(OUTSIDE_CONFIG);
    return settings;
  }

  /**
   * The packaged registry's settings in environment form: what its application.properties sets,
   * profile prefixes included ({@code %prod.quarkus.datasource.jdbc.url} → {@code
   * _PROD_QUARKUS_DATASOURCE_JDBC_URL}, the form that overrides a profiled value), and the start
   * script's variables.
   */
  static java.util.Set<String> registrySettings() {
    var out = new TreeSet<String>(OUTSIDE_CONFIG);
    Repo.properties(REGISTRY_PROPERTIES).stringPropertyNames().forEach(n -> out.add(envName(n)));
    return out;
  }

  /** Whether the app (or its image) reads this environment variable. */
  boolean knows(String env) {
    return exact.contains(env) || mapped.stream().anyMatch(p -> p.matcher(env).matches());
  }

  /**
   * The variables the app cannot start without: the {@code ${NAME}} expressions of
   * application.properties that give no default.
   */
  static java.util.Set<String> required() {
    var out = new TreeSet<String>();
    var matcher =
        Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(Repo.read(APP_PROPERTIES));
    while (matcher.find()) {
      out.add(matcher.group(1));
    }
    return out;
  }

  /** How many mapped settings were found: a guard that the scan found the roles at all. */
  int mappedCount() {
    return mapped.size();
  }

  /** Quarkus's environment form of a property name. */
  static String envName(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * The environment names one mapped property accepts: {@code *} (a map key) and {@code [*]} (a
   * list index) stand for any run of name characters.
   */
  static Pattern envPattern(String property) {
    var regex = new StringBuilder();
    var parts = property.split("(\\[\\*\\]|\\*)", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append("[A-Z0-9_]+");
      }
      regex.append(Pattern.quote(envName(parts[i])));
    }
    return Pattern.compile(regex.toString());
  }

  /** Every {@code @ConfigMapping} interface in the services' sources, as SmallRye sees it. */
  static List<ConfigClass> configMappings() {
    var annotation = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    var out = new ArrayList<ConfigClass>();
    try (Stream<Path> files = Files.walk(Repo.file("services"))) {
      for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        var source = Files.readString(file);
        var matcher = annotation.matcher(source);
        if (!file.toString().contains("/src/main/java/") || !matcher.find()) {
          continue;
        }
        var className =
            file.toString()
                .replaceAll(".*/src/main/java/", "")
                .replace(".java", "")
                .replace('/', '.');
        out.add(new ConfigClass(Class.forName(className), matcher.group(1)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(
          "a @ConfigMapping class is not on this module's classpath: " + e.getMessage(), e);
    }
    return out;
  }
}
