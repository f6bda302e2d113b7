package io.distillery.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The repository's files as the checks read them: paths from the root, YAML as plain maps. */
final class Repo {

  /** The repository root (this module lives in {@code deploy/checks}). */
  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

  private Repo() {}

  static Path file(String relative) {
    var path = ROOT.resolve(relative);
    if (!Files.exists(path)) {
      throw new AssertionError(relative + " does not exist under " + ROOT);
    }
    return path;
  }

  static String read(String relative) {
    try {
      return Files.readString(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A properties file of the repository (an application.properties), as Java reads it. */
  static java.util.Properties properties(String relative) {
    var properties = new java.util.Properties();
    try {
      properties.load(new java.io.StringReader(read(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  /**
   * Every document of a YAML file, empty ones left out. SnakeYAML (not Jackson's YAML parser)
   * because compose files use anchors and merge keys ({@code <<: *app}), which only a full YAML
   * loader resolves.
   */
  static List<Map<String, Object>> yamlDocuments(Path file) {
    var options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    var out = new ArrayList<Map<String, Object>>();
    try (var reader = Files.newBufferedReader(file)) {
      for (Object doc : new Yaml(options).loadAll(reader)) {
        if (doc != null) {
          out.add(map(doc, file + ": a document"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static Map<String, Object> yaml(Path file) {
    var docs = yamlDocuments(file);
    if (docs.size() != 1) {
      throw new AssertionError(file + ": expected one YAML document, found " + docs.size());
    }
    return docs.get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new AssertionError(what + " is not a mapping: " + value);
    }
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value, String what) {
    if (!(value instanceof List)) {
      throw new AssertionError(what + " is not a list: " + value);
    }
    return (List<Object>) value;
  }

  /** The value at a path of keys, or null when any step is missing. */
  static Object at(Map<String, Object> root, String... keys) {
    Object current = root;
    for (var key : keys) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(key);
    }
    return current;
  }

  static String string(Map<String, Object> root, String... keys) {
    var value = at(root, keys);
    return value == null ? null : Objects.toString(value);
  }

  /** The project version without {@code -SNAPSHOT}: the tag the images are built with. */
  static String imageTag() {
    return System.getProperty("distillery.version", "unknown").replace("-SNAPSHOT", "");
  }
}
