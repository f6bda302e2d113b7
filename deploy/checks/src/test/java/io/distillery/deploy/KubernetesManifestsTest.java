package io.distillery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.Codebook;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * k8s/: every overlay renders (offline, {@link Kustomize}) to resources of known kinds whose pods
 * set only real settings, probe the app's health endpoints, and reference only things that exist.
 */
class KubernetesManifestsTest {

  /** The kinds and API versions the manifests may use: Kubernetes GA APIs and Strimzi's. */
  private static final Map<String, String> KINDS =
      Map.ofEntries(
          Map.entry("Deployment", "apps/v1"),
          Map.entry("Service", "v1"),
          Map.entry("ConfigMap", "v1"),
          Map.entry("Secret", "v1"),
          Map.entry("PersistentVolumeClaim", "v1"),
          Map.entry("HorizontalPodAutoscaler", "autoscaling/v2"),
          Map.entry("Ingress", "networking.k8s.io/v1"),
          Map.entry("PodDisruptionBudget", "policy/v1"),
          Map.entry("Kafka", "kafka.strimzi.io/v1beta2"),
          Map.entry("KafkaNodePool", "kafka.strimzi.io/v1beta2"),
          Map.entry("KafkaTopic", "kafka.strimzi.io/v1beta2"));

  private static AppSettings settings;

  @BeforeAll
  static void loadSettings() {
    settings = AppSettings.load();
  }

  @Test
  void theSettingsScanFindsEveryRolesSettings() {
    // A guard for the env checks below: an empty scan would make every name unknown, not known.
    assertThat(settings.mappedCount()).isGreaterThan(50);
    assertThat(settings.knows("DISTILLERY_TRAINER_MODELS_DIR")).isTrue();
    assertThat(settings.knows("DISTILLERY_TEACHER_PRICES__GPT_4O__INPUT")).isTrue();
    assertThat(settings.knows("KAFKA_BOOTSTRAP_SERVERS")).isTrue();
    assertThat(settings.knows("DISTILLERY_TRAINER_MODEL_DIR")).isFalse();
    assertThat(settings.knows("DISTILLERY_ROLE")).isFalse();
    assertThat(AppSettings.required())
        .contains("DISTILLERY_INGEST_PASSWORD", "DISTILLERY_OPERATOR_PASSWORD")
        .doesNotContain("OPENAI_API_KEY");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "prod"})
  void everyResourceHasAKnownKindAndApiVersion(String overlay) {
    var manifests = Manifests.of(overlay);
    assertThat(manifests.resources()).hasSizeGreaterThan(20);
    for (var resource : manifests.resources()) {
      var kind = (String) resource.get("kind");
      assertThat(KINDS).as(overlay + ": kind " + kind).containsKey(kind);
      assertThat(resource.get("apiVersion")).as(overlay + ": " + kind).isEqualTo(KINDS.get(kind));
      assertThat(Repo.string(resource, "metadata", "name")).as(kind + " name").isNotBlank();
      assertThat(Repo.string(resource, "metadata", "namespace"))
          .as(overlay + ": " + kind + " namespace")
          .isEqualTo("distillery");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "prod"})
  void oneDeploymentPerRoleRunningOnlyThatRoleFromTheOneImage(String overlay) {
    var manifests = Manifests.of(overlay);
    for (var role : Manifests.ROLES) {
      var deployment = manifests.get("Deployment", "distillery-" + role);
      assertThat(manifests.envValue(deployment, "DISTILLERY_ROLES")).contains(role);
      var image = (String) Manifests.container(deployment).get("image");
      var expected = role.equals("trainer") && overlay.equals("prod") ? "app-gpu" : "app";
      assertThat(image).as(role + " image").contains("distillery/" + expected + ":");
      assertThat(image).as(role + " image tag").endsWith(":" + Repo.imageTag());
    }
    assertThat(manifests.ofKind("Deployment")).hasSize(5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "prod"})
  void podsSetOnlySettingsTheAppReads(String overlay) {
    var manifests = Manifests.of(overlay);
    for (var role : Manifests.ROLES) {
      var deployment = manifests.get("Deployment", "distillery-" + role);
      var names = Manifests.env(deployment).stream().map(e -> (String) e.get("name")).toList();
      assertThat(names)
          .as(overlay + ": " + role + " sets each variable once")
          .doesNotHaveDuplicates();
      assertThat(names)
          .as(overlay + ": " + role + " sets what the app cannot start without")
          .containsAll(AppSettings.required());
      for (var e : Manifests.env(deployment)) {
        assertThat(settings.knows((String) e.get("name")))
            .as(overlay + ": " + role + " sets " + e.get("name") + ", which the app does not read")
            .isTrue();
      }
      for (var source : Manifests.envFromConfigMaps(deployment)) {
        var data = Repo.map(Repo.at(manifests.get("ConfigMap", source), "data"), "data");
        for (var name : data.keySet()) {
          assertThat(settings.knows(name))
              .as(
                  overlay
                      + ": ConfigMap "
                      + source
                      + " sets "
                      + name
                      + ", which the app does not read")
              .isTrue();
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "prod"})
  void probesResourcesAndGracefulStop(String overlay) {
    var manifests = Manifests.of(overlay);
    for (var role : Manifests.ROLES) {
      var deployment = manifests.get("Deployment", "distillery-" + role);
      var container = Manifests.container(deployment);
      assertThat(Repo.string(container, "readinessProbe", "httpGet", "path"))
          .isEqualTo("/q/health/ready");
      assertThat(Repo.string(container, "livenessProbe", "httpGet", "path"))
          .isEqualTo("/q/health/live");
      assertThat(Repo.string(container, "resources", "requests", "cpu")).as(role).isNotBlank();
      assertThat(Repo.string(container, "resources", "requests", "memory"))
          .isEqualTo(Repo.string(container, "resources", "limits", "memory"));
      assertThat(
              Manifests.integer(
                  deployment, "spec", "template", "spec", "terminationGracePeriodSeconds"))
          .isGreaterThanOrEqualTo(60);
    }
    var registry = manifests.get("Deployment", "schema-registry");
    assertThat(Repo.string(Manifests.container(registry), "readinessProbe", "httpGet", "path"))
        .isEqualTo("/health/ready");
    for (var e : Manifests.env(registry)) {
      assertThat(AppSettings.registrySettings())
          .as("registry sets " + e.get("name"))
          .contains((String) e.get("name"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "prod"})
  void singletonsAreSingletons(String overlay) {
    var manifests = Manifests.of(overlay);
    for (var name : new String[] {"distillery-trainer", "distillery-auditor", "schema-registry"}) {
      var deployment = manifests.get("Deployment", name);
      assertThat(Manifests.integer(deployment, "spec", "replicas")).as(name).isEqualTo(1);
      assertThat(Repo.string(deployment, "spec", "strategy", "type"))
          .as(name)
          .isEqualTo("Recreate");
      assertThat(
              manifests.ofKind("HorizontalPodAutoscaler").stream()
                  .map(h -> Repo.string(h, "spec", "scaleTargetRef", "name")))
          .doesNotContain(name);
    }
  }

  @Test
  void prodTrainerAsksForAGpuOnAGpuNodeAndLocalDoesNot() {
    var prod = Manifests.of("prod").get("Deployment", "distillery-trainer");
    assertThat(Repo.string(Manifests.container(prod), "resources", "limits", "nvidia.com/gpu"))
        .isEqualTo("1");
    assertThat(Repo.at(Manifests.podSpec(prod), "nodeSelector"))
        .isEqualTo(Map.of("nvidia.com/gpu.present", "true"));
    var local = Manifests.of("local").get("Deployment", "distillery-trainer");
    assertThat(Repo.at(Manifests.container(local), "resources", "limits", "nvidia.com/gpu"))
        .isNull();
  }

  @Test
  void prodLabelerUsesTheLlmWithTheKeyFromTheSecret() {
    var prod = Manifests.of("prod");
    var labeler = prod.get("Deployment", "distillery-labeler");
    assertThat(prod.envValue(labeler, "DISTILLERY_TEACHER_KIND")).contains("openai");
    var key =
        Manifests.env(labeler).stream()
            .filter(e -> "OPENAI_API_KEY".equals(e.get("name")))
            .findFirst()
            .orElseThrow();
    assertThat(Repo.string(key, "valueFrom", "secretKeyRef", "name"))
        .isEqualTo("distillery-secrets");
    var local = Manifests.of("local");
    assertThat(
            local.envValue(
                local.get("Deployment", "distillery-labeler"), "DISTILLERY_TEACHER_KIND"))
        .contains("zero-shot");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "prod"})
  void everyReferenceResolves(String overlay) {
    var manifests = Manifests.of(overlay);
    for (var deployment : manifests.ofKind("Deployment")) {
      var name = Repo.string(deployment, "metadata", "name");
      var pod = Manifests.podSpec(deployment);
      var volumes =
          pod.get("volumes") == null
              ? java.util.List.of()
              : Repo.list(pod.get("volumes"), "volumes");
      var volumeNames = new HashSet<String>();
      for (var v : volumes) {
        var volume = Repo.map(v, "volume");
        volumeNames.add((String) volume.get("name"));
        var claim = Repo.string(volume, "persistentVolumeClaim", "claimName");
        if (claim != null) {
          manifests.get("PersistentVolumeClaim", claim);
        }
        var configMap = Repo.string(volume, "configMap", "name");
        if (configMap != null) {
          manifests.get("ConfigMap", configMap);
        }
      }
      var mounts = Manifests.container(deployment).get("volumeMounts");
      if (mounts != null) {
        for (var m : Repo.list(mounts, "mounts")) {
          assertThat(volumeNames)
              .as(name + " mounts")
              .contains((String) Repo.map(m, "mount").get("name"));
        }
      }
      for (var e : Manifests.env(deployment)) {
        var secret = Repo.string(e, "valueFrom", "secretKeyRef", "name");
        if (secret != null && overlay.equals("local")) {
          var data =
              Repo.map(Repo.at(manifests.get("Secret", secret), "stringData"), "secret data");
          assertThat(data)
              .as(name + " " + e.get("name"))
              .containsKey(Repo.string(e, "valueFrom", "secretKeyRef", "key"));
        }
        if (secret != null && overlay.equals("prod")) {
          // prod's Secret is created by hand before the first apply; operations.md says how.
          assertThat(secret).isEqualTo("distillery-secrets");
          assertThat(Repo.read("docs/operations.md"))
              .contains("create secret generic distillery-secrets")
              .contains(Repo.string(e, "valueFrom", "secretKeyRef", "key") + "=");
        }
      }
      for (var source : Manifests.envFromConfigMaps(deployment)) {
        manifests.get("ConfigMap", source);
      }
    }
    var podLabels = new HashSet<Map<String, Object>>();
    for (var deployment : manifests.ofKind("Deployment")) {
      podLabels.add(
          Repo.map(Repo.at(deployment, "spec", "template", "metadata", "labels"), "labels"));
    }
    for (var service : manifests.ofKind("Service")) {
      var selector = Repo.map(Repo.at(service, "spec", "selector"), "selector");
      assertThat(podLabels.stream().anyMatch(l -> l.entrySet().containsAll(selector.entrySet())))
          .as(overlay + ": service " + Repo.string(service, "metadata", "name") + " selects pods")
          .isTrue();
    }
    for (var budget : manifests.ofKind("PodDisruptionBudget")) {
      var selector = Repo.map(Repo.at(budget, "spec", "selector", "matchLabels"), "selector");
      assertThat(podLabels.stream().anyMatch(l -> l.entrySet().containsAll(selector.entrySet())))
          .as(overlay + ": budget " + Repo.string(budget, "metadata", "name") + " selects pods")
          .isTrue();
    }
    for (var path :
        Repo.list(
            Repo.at(
                Repo.map(
                    Repo.list(
                            Repo.at(manifests.get("Ingress", "distillery"), "spec", "rules"),
                            "rules")
                        .get(0),
                    "rule"),
                "http",
                "paths"),
            "paths")) {
      var service = Repo.string(Repo.map(path, "path"), "backend", "service", "name");
      manifests.get("Service", service);
    }
  }

  @Test
  void theModelStoreIsOneVolumeAtOnePathForTrainerAndClassifiers() {
    for (var overlay : new String[] {"local", "prod"}) {
      var manifests = Manifests.of(overlay);
      var trainer = manifests.get("Deployment", "distillery-trainer");
      var classifier = manifests.get("Deployment", "distillery-classifier");
      var dir = manifests.envValue(trainer, "DISTILLERY_TRAINER_MODELS_DIR").orElseThrow();
      assertThat(manifests.envValue(classifier, "DISTILLERY_TRAINER_MODELS_DIR")).contains(dir);
      assertThat(mountOf(trainer, dir)).isEqualTo("distillery-models");
      assertThat(mountOf(classifier, dir)).isEqualTo("distillery-models");
    }
    var prodClaim = Manifests.of("prod").get("PersistentVolumeClaim", "distillery-models");
    assertThat(Repo.at(prodClaim, "spec", "accessModes"))
        .isEqualTo(java.util.List.of("ReadWriteMany"));
  }

  @Test
  void theCodebookConfigMapIsAValidCodebook() throws Exception {
    var manifests = Manifests.of("prod");
    var data = Repo.map(Repo.at(manifests.get("ConfigMap", "codebook"), "data"), "codebook data");
    var file = Files.createTempFile("codebook", ".yaml");
    Files.writeString(file, (String) data.get("codebook.yaml"));
    var codebook = Codebook.load(file);
    assertThat(codebook.labels()).isNotEmpty();
    var mountPath =
        manifests
            .envValue(manifests.get("Deployment", "distillery-labeler"), "DISTILLERY_CODEBOOK")
            .orElseThrow();
    assertThat(mountPath).endsWith("/codebook.yaml");
  }

  private static String mountOf(Map<String, Object> deployment, String path) {
    var pod = Manifests.podSpec(deployment);
    Set<String> names = new HashSet<>();
    for (var m : Repo.list(Manifests.container(deployment).get("volumeMounts"), "mounts")) {
      var mount = Repo.map(m, "mount");
      if (path.equals(mount.get("mountPath"))) {
        names.add((String) mount.get("name"));
      }
    }
    assertThat(names).as("a volume mounted at " + path).hasSize(1);
    var volume =
        Repo.list(pod.get("volumes"), "volumes").stream()
            .map(v -> Repo.map(v, "volume"))
            .filter(v -> names.contains(v.get("name")))
            .findFirst()
            .orElseThrow();
    return Repo.string(volume, "persistentVolumeClaim", "claimName");
  }
}
