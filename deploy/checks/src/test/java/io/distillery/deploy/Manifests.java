package io.distillery.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rendered Kubernetes resources, looked up the way the checks need them. */
record Manifests(String overlay, List<Map<String, Object>> resources) {

  static final List<String> ROLES = List.of("labeler", "auditor", "trainer", "classifier");

  static Manifests of(String overlay) {
    return new Manifests(overlay, Kustomize.render(Repo.file("k8s/overlays/" + overlay)));
  }

  List<Map<String, Object>> ofKind(String kind) {
    return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
  }

  Optional<Map<String, Object>> find(String kind, String name) {
    return ofKind(kind).stream()
        .filter(r -> name.equals(Repo.string(r, "metadata", "name")))
        .findFirst();
  }

  Map<String, Object> get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " named " + name));
  }

  static Map<String, Object> podSpec(Map<String, Object> deployment) {
    return Repo.map(Repo.at(deployment, "spec", "template", "spec"), "pod spec");
  }

  static Map<String, Object> container(Map<String, Object> deployment) {
    var containers = Repo.list(podSpec(deployment).get("containers"), "containers");
    return Repo.map(containers.get(0), "the first container");
  }

  /** {@code name=value} of every env entry with a plain value; {@code name} for references. */
  static List<Map<String, Object>> env(Map<String, Object> deployment) {
    var env = container(deployment).get("env");
    var out = new ArrayList<Map<String, Object>>();
    if (env != null) {
      for (var e : Repo.list(env, "env")) {
        out.add(Repo.map(e, "an env entry"));
      }
    }
    return out;
  }

  /** The value a Deployment's container sees for a variable, from env or an envFrom ConfigMap. */
  Optional<String> envValue(Map<String, Object> deployment, String name) {
    for (var e : env(deployment)) {
      if (name.equals(e.get("name")) && e.get("value") != null) {
        return Optional.of(String.valueOf(e.get("value")));
      }
    }
    for (var source : envFromConfigMaps(deployment)) {
      var data = Repo.at(get("ConfigMap", source), "data");
      if (data != null && Repo.map(data, "data").containsKey(name)) {
        return Optional.of(String.valueOf(Repo.map(data, "data").get(name)));
      }
    }
    return Optional.empty();
  }

  static List<String> envFromConfigMaps(Map<String, Object> deployment) {
    var envFrom = container(deployment).get("envFrom");
    var out = new ArrayList<String>();
    if (envFrom != null) {
      for (var e : Repo.list(envFrom, "envFrom")) {
        var name = Repo.string(Repo.map(e, "envFrom"), "configMapRef", "name");
        if (name != null) {
          out.add(name);
        }
      }
    }
    return out;
  }

  static int integer(Map<String, Object> resource, String... path) {
    var value = Repo.at(resource, path);
    if (!(value instanceof Number n)) {
      throw new AssertionError(String.join(".", path) + " is not a number: " + value);
    }
    return n.intValue();
  }
}
