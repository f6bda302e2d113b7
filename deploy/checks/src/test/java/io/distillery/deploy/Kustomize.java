package io.distillery.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders a Kustomize directory into its resources, offline, for the checks. Hand-written because
 * there is no {@code kustomize} or {@code kubectl} binary here and no Java port of Kustomize: it
 * implements exactly the subset our files use (resources, components, namespace, labels, images,
 * JSON 6902 patches with kind/name-regex targets, ConfigMap and Secret generators) and refuses any
 * other field, so the files cannot drift past what is checked. Generated names keep no hash suffix
 * (Kustomize adds one and rewrites the references; the references resolve either way).
 */
final class Kustomize {

  private static final Set<String> KNOWN =
      Set.of(
          "apiVersion",
          "kind",
          "resources",
          "components",
          "namespace",
          "labels",
          "images",
          "patches",
          "configMapGenerator",
          "secretGenerator");

  private Kustomize() {}

  /** The resources {@code dir} renders to. */
  static List<Map<String, Object>> render(Path dir) {
    var kustomization = Repo.yaml(dir.resolve("kustomization.yaml"));
    for (var key : kustomization.keySet()) {
      if (!KNOWN.contains(key)) {
        throw new AssertionError(
            dir + "/kustomization.yaml: field " + key + " is not checked here");
      }
    }
    var out = new ArrayList<Map<String, Object>>();
    for (var entry : strings(kustomization.get("resources"))) {
      var path = dir.resolve(entry).normalize();
      if (Files.isDirectory(path)) {
        out.addAll(render(path));
      } else {
        out.addAll(Repo.yamlDocuments(path));
      }
    }
    for (var component : strings(kustomization.get("components"))) {
      apply(dir.resolve(component).normalize(), out);
    }
    apply(dir, out);
    return out;
  }

  /** What a kustomization or component does to the resources gathered so far. */
  private static void apply(Path dir, List<Map<String, Object>> resources) {
    var k = Repo.yaml(dir.resolve("kustomization.yaml"));
    generate(dir, k.get("configMapGenerator"), "ConfigMap", resources);
    generate(dir, k.get("secretGenerator"), "Secret", resources);
    if (k.get("patches") != null) {
      for (var p : Repo.list(k.get("patches"), dir + ": patches")) {
        var patch = Repo.map(p, dir + ": a patch");
        var target = Repo.map(patch.get("target"), dir + ": a patch's target");
        var ops = Repo.list(new Yaml().load((String) patch.get("patch")), dir + ": patch ops");
        int matched = 0;
        for (var resource : resources) {
          if (matches(target, resource)) {
            matched++;
            for (var op : ops) {
              JsonPatch.apply(resource, Repo.map(op, "a patch op"));
            }
          }
        }
        if (matched == 0) {
          throw new AssertionError(dir + ": patch target " + target + " matches no resource");
        }
      }
    }
    if (k.get("images") != null) {
      for (var i : Repo.list(k.get("images"), dir + ": images")) {
        var image = Repo.map(i, "an image");
        for (var resource : resources) {
          setImages(resource, image);
        }
      }
    }
    if (k.get("labels") != null) {
      for (var l : Repo.list(k.get("labels"), dir + ": labels")) {
        var pairs = Repo.map(Repo.map(l, "labels").get("pairs"), "label pairs");
        for (var resource : resources) {
          var metadata =
              Repo.map(
                  resource.computeIfAbsent("metadata", x -> new LinkedHashMap<>()), "metadata");
          Repo.map(metadata.computeIfAbsent("labels", x -> new LinkedHashMap<>()), "labels")
              .putAll(pairs);
        }
      }
    }
    if (k.get("namespace") != null) {
      for (var resource : resources) {
        Repo.map(resource.get("metadata"), "metadata").put("namespace", k.get("namespace"));
      }
    }
  }

  private static void generate(
      Path dir, Object generators, String kind, List<Map<String, Object>> resources) {
    if (generators == null) {
      return;
    }
    for (var g : Repo.list(generators, dir + ": " + kind + " generators")) {
      var generator = Repo.map(g, "a generator");
      var name = (String) generator.get("name");
      var data = new LinkedHashMap<String, Object>();
      for (var file : strings(generator.get("files"))) {
        try {
          data.put(Path.of(file).getFileName().toString(), Files.readString(dir.resolve(file)));
        } catch (IOException e) {
          throw new UncheckedIOException(dir + ": generator file " + file, e);
        }
      }
      for (var literal : strings(generator.get("literals"))) {
        int eq = literal.indexOf('=');
        data.put(literal.substring(0, eq), literal.substring(eq + 1));
      }
      var existing =
          resources.stream()
              .filter(
                  r ->
                      kind.equals(r.get("kind")) && name.equals(Repo.string(r, "metadata", "name")))
              .findFirst();
      if ("merge".equals(generator.get("behavior"))) {
        var target =
            existing.orElseThrow(
                () -> new AssertionError(dir + ": merge into missing " + kind + " " + name));
        Repo.map(target.get("data"), kind + " " + name + " data").putAll(data);
      } else {
        if (existing.isPresent()) {
          throw new AssertionError(dir + ": " + kind + " " + name + " generated twice");
        }
        var resource = new LinkedHashMap<String, Object>();
        resource.put("apiVersion", "v1");
        resource.put("kind", kind);
        resource.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
        resource.put(kind.equals("Secret") ? "stringData" : "data", data);
        resources.add(resource);
      }
    }
  }

  private static boolean matches(Map<String, Object> target, Map<String, Object> resource) {
    var kind = (String) target.get("kind");
    var name = (String) target.get("name");
    return (kind == null || kind.equals(resource.get("kind")))
        && (name == null || Repo.string(resource, "metadata", "name").matches(name));
  }

  private static void setImages(Map<String, Object> resource, Map<String, Object> image) {
    var containers = Repo.at(resource, "spec", "template", "spec", "containers");
    if (containers == null) {
      return;
    }
    for (var c : Repo.list(containers, "containers")) {
      var container = Repo.map(c, "a container");
      var current = (String) container.get("image");
      int colon = current.lastIndexOf(':');
      var name = colon < 0 ? current : current.substring(0, colon);
      var tag = colon < 0 ? "latest" : current.substring(colon + 1);
      if (name.equals(image.get("name"))) {
        var newName = image.getOrDefault("newName", name);
        var newTag = image.getOrDefault("newTag", tag);
        container.put("image", newName + ":" + newTag);
      }
    }
  }

  private static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    return Repo.list(value, "a list of names").stream().map(String::valueOf).toList();
  }

  /** The two JSON Patch (RFC 6902) operations our overlays use, on SnakeYAML's maps and lists. */
  static final class JsonPatch {

    private JsonPatch() {}

    static void apply(Map<String, Object> document, Map<String, Object> op) {
      var kind = (String) op.get("op");
      var path = (String) op.get("path");
      if (!"replace".equals(kind) && !"add".equals(kind)) {
        throw new AssertionError("JSON patch op " + kind + " is not checked here");
      }
      var steps = path.substring(1).split("/");
      Object parent = document;
      for (int i = 0; i < steps.length - 1; i++) {
        parent = child(parent, steps[i], path);
      }
      var last = steps[steps.length - 1];
      var value = op.get("value");
      if (parent instanceof Map<?, ?>) {
        var map = Repo.map(parent, path);
        if ("replace".equals(kind) && !map.containsKey(last)) {
          throw new AssertionError("replace at missing path " + path);
        }
        map.put(last, value);
      } else {
        var list = Repo.list(parent, path);
        if ("add".equals(kind)) {
          list.add("-".equals(last) ? list.size() : Integer.parseInt(last), value);
        } else {
          int index = Integer.parseInt(last);
          if (index >= list.size()) {
            throw new AssertionError("replace at missing index " + path);
          }
          list.set(index, value);
        }
      }
    }

    private static Object child(Object parent, String step, String path) {
      Object next =
          parent instanceof List<?> l && step.matches("\\d+") && Integer.parseInt(step) < l.size()
              ? l.get(Integer.parseInt(step))
              : parent instanceof Map<?, ?> m ? m.get(step) : null;
      if (next == null) {
        throw new AssertionError("JSON patch path " + path + " is missing at " + step);
      }
      return next;
    }
  }
}
