package io.distillery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose.yaml cannot run here (no Docker engine), so it is read: a KRaft Kafka of the
 * version the build uses, the registry, one service per role from one image, health checks,
 * volumes, and env the app reads; images and ports as the README gives them.
 */
class ComposeFileTest {

  private static Map<String, Object> compose;
  private static Map<String, Object> services;
  private static AppSettings settings;

  @BeforeAll
  static void load() {
    compose = Repo.yaml(Repo.file("deploy/compose.yaml"));
    services = Repo.map(compose.get("services"), "services");
    settings = AppSettings.load();
  }

  @Test
  void kafkaIsTheBuildsVersionInKraftModeWithADataVolume() {
    var kafka = service("kafka");
    assertThat(kafka.get("image"))
        .isEqualTo("apache/kafka:" + System.getProperty("distillery.kafka.version"));
    var env = env("kafka");
    assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
    assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
    assertThat(volumeTargets("kafka")).contains(env.get("KAFKA_LOG_DIRS"));
    // KRaft refuses to format storage with an id that is not 16 bytes in base64url.
    assertThat(org.apache.kafka.common.Uuid.fromString(env.get("CLUSTER_ID"))).isNotNull();
  }

  @Test
  void everyVolumeOfOurImagesIsMountedOnADirectoryTheImageCreatesForItsUser() {
    // Docker creates a missing mount point root-owned: the app (user 185) could not write there.
    var dockerfiles =
        Map.of(
            "distillery/app:", "Dockerfile.jvm",
            "distillery/schema-registry:", "Dockerfile.registry");
    int checked = 0;
    for (var name : services.keySet()) {
      var image = String.valueOf(service(name).get("image"));
      var dockerfile =
          dockerfiles.entrySet().stream()
              .filter(e -> image.startsWith(e.getKey()))
              .map(Map.Entry::getValue)
              .findFirst();
      if (dockerfile.isEmpty()) {
        continue;
      }
      var created = DockerfilesTest.createdDirectories(dockerfile.get());
      for (var target : volumeTargets(name)) {
        checked++;
        assertThat(created)
            .as(name + ": " + dockerfile.get() + " creates " + target)
            .contains(target);
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(4);
    assertThat(DockerfilesTest.createdDirectories("Dockerfile.gpu"))
        .containsAll(volumeTargets("trainer"));
  }

  @Test
  void oneServicePerRoleFromOneImageAndOnlySettingsTheAppReads() {
    var roles = new ArrayList<String>();
    for (var role : Manifests.ROLES) {
      var service = service(role);
      assertThat(service.get("image")).isEqualTo("distillery/app:" + Repo.imageTag());
      var env = env(role);
      roles.add(env.get("DISTILLERY_ROLES"));
      assertThat(env.keySet())
          .as(role + " sets what the app cannot start without")
          .containsAll(AppSettings.required());
      assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
      assertThat(env.get("SCHEMA_REGISTRY_URL")).isEqualTo("http://registry:" + registryPort());
      for (var name : env.keySet()) {
        assertThat(settings.knows(name))
            .as(role + " sets " + name + ", which the app does not read")
            .isTrue();
      }
      var dependsOn = Repo.map(service.get("depends_on"), role + " depends_on");
      assertThat(Repo.string(dependsOn, "kafka", "condition")).isEqualTo("service_healthy");
      assertThat(Repo.string(dependsOn, "registry", "condition")).isEqualTo("service_healthy");
    }
    assertThat(roles).containsExactlyElementsOf(Manifests.ROLES);
    // Exactly one service builds the app image from the Dockerfile the README names.
    var builds =
        services.entrySet().stream()
            .filter(e -> Repo.at(Repo.map(e.getValue(), "service"), "build") != null)
            .map(e -> Repo.string(Repo.map(e.getValue(), "service"), "build", "dockerfile"))
            .toList();
    assertThat(builds)
        .containsExactlyInAnyOrder("deploy/Dockerfile.jvm", "deploy/Dockerfile.registry");
    builds.forEach(Repo::file);
  }

  @Test
  void theRegistryKeepsItsSchemasOnAVolumeAndSetsOnlyItsOwnSettings() {
    var env = env("registry");
    for (var name : env.keySet()) {
      assertThat(AppSettings.registrySettings()).as("registry sets " + name).contains(name);
    }
    assertThat(env.get("_PROD_QUARKUS_DATASOURCE_JDBC_URL")).startsWith("jdbc:h2:file:/data/");
    assertThat(volumeTargets("registry")).contains("/data");
  }

  @Test
  void everyServiceHasAHealthCheckOnTheRightEndpoint() {
    for (var name : services.keySet()) {
      var test = Repo.list(Repo.at(service(name), "healthcheck", "test"), name + " healthcheck");
      assertThat(test).as(name).isNotEmpty();
    }
    for (var role : Manifests.ROLES) {
      assertThat(String.join(" ", healthcheck(role)))
          .contains("http://127.0.0.1:" + appPort() + "/q/health/ready");
    }
    assertThat(String.join(" ", healthcheck("registry")))
        .contains("http://127.0.0.1:" + registryPort() + "/health/ready");
  }

  @Test
  void theModelStoreIsSharedAtTheTrainersPathAndVolumesAreDeclared() {
    var dir = env("trainer").get("DISTILLERY_TRAINER_MODELS_DIR");
    assertThat(volumeTargets("trainer")).contains(dir);
    assertThat(volumeTargets("classifier")).contains(dir);
    assertThat(volumeSource("trainer", dir)).isEqualTo(volumeSource("classifier", dir));
    var declared = Repo.map(compose.get("volumes"), "volumes").keySet();
    for (var name : services.keySet()) {
      for (var volume : volumes(name)) {
        var source = volume.split(":")[0];
        if (source.startsWith(".")) {
          Repo.file("deploy/" + source); // a bind mount of a file beside compose.yaml
        } else {
          assertThat(declared).as(name + " volume").contains(source);
        }
      }
    }
  }

  @Test
  void publishedPortsAreDistinctAndTheReadmeListsThem() {
    var readme = Repo.read("README.md");
    var published = new HashSet<String>();
    for (var name : services.keySet()) {
      for (var port : ports(name)) {
        var parts = port.split(":");
        assertThat(published.add(parts[0]))
            .as("host port " + parts[0] + " published twice")
            .isTrue();
        if (Manifests.ROLES.contains(name)) {
          assertThat(parts[1]).as(name + " container port").isEqualTo(appPort());
        }
        assertThat(readme)
            .as("README names " + name + " at localhost:" + parts[0])
            .containsPattern("(?m)^\\|\\s*`?" + name + "`?\\s*\\|.*localhost:" + parts[0]);
      }
    }
    assertThat(readme).contains("docker compose -f deploy/compose.yaml up --build");
  }

  @Test
  void theGatewayRoutesEveryPathToTheSameRoleAsTheIngress() {
    var routes = new java.util.TreeMap<String, String>();
    var location =
        java.util.regex.Pattern.compile("location (\\S+) \\{ proxy_pass http://([a-z]+):(\\d+); }");
    var matcher = location.matcher(Repo.read("deploy/gateway.conf"));
    while (matcher.find()) {
      assertThat(services).containsKey(matcher.group(2));
      assertThat(matcher.group(3)).isEqualTo(appPort());
      routes.put(matcher.group(1), "distillery-" + matcher.group(2));
    }
    var ingress = new java.util.TreeMap<String, String>();
    var rules =
        Repo.list(
            Repo.at(Manifests.of("prod").get("Ingress", "distillery"), "spec", "rules"), "rules");
    for (var p : Repo.list(Repo.at(Repo.map(rules.get(0), "rule"), "http", "paths"), "paths")) {
      var path = Repo.map(p, "path");
      ingress.put((String) path.get("path"), Repo.string(path, "backend", "service", "name"));
    }
    assertThat(routes).isNotEmpty().isEqualTo(ingress);
  }

  @Test
  void theGpuOverrideSwapsOnlyTheTrainersImageAndReservesAGpu() {
    var gpu = Repo.map(Repo.yaml(Repo.file("deploy/compose.gpu.yaml")).get("services"), "services");
    assertThat(gpu).containsOnlyKeys("trainer");
    var trainer = Repo.map(gpu.get("trainer"), "trainer");
    assertThat(trainer.get("image")).isEqualTo("distillery/app-gpu:" + Repo.imageTag());
    assertThat(Repo.string(trainer, "build", "dockerfile")).isEqualTo("deploy/Dockerfile.gpu");
    var devices =
        Repo.list(Repo.at(trainer, "deploy", "resources", "reservations", "devices"), "devices");
    assertThat(Repo.map(devices.get(0), "device").get("driver")).isEqualTo("nvidia");
  }

  private static Map<String, Object> service(String name) {
    return Repo.map(services.get(name), "service " + name);
  }

  private static Map<String, String> env(String name) {
    var out = new java.util.LinkedHashMap<String, String>();
    Repo.map(service(name).get("environment"), name + " environment")
        .forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  private static List<String> volumes(String name) {
    var v = service(name).get("volumes");
    return v == null
        ? List.of()
        : Repo.list(v, name + " volumes").stream().map(String::valueOf).toList();
  }

  private static List<String> volumeTargets(String name) {
    return volumes(name).stream().map(v -> v.split(":")[1]).toList();
  }

  private static String volumeSource(String name, String target) {
    return volumes(name).stream()
        .filter(v -> v.split(":")[1].equals(target))
        .map(v -> v.split(":")[0])
        .findFirst()
        .orElseThrow();
  }

  private static List<String> ports(String name) {
    var p = service(name).get("ports");
    return p == null
        ? List.of()
        : Repo.list(p, name + " ports").stream().map(String::valueOf).toList();
  }

  private static List<String> healthcheck(String name) {
    return Repo.list(Repo.at(service(name), "healthcheck", "test"), name).stream()
        .map(String::valueOf)
        .toList();
  }

  /** The app's HTTP port, from its application.properties. */
  static String appPort() {
    return Repo.properties(AppSettings.APP_PROPERTIES).getProperty("quarkus.http.port");
  }

  /** The packaged registry's HTTP port, from its application.properties. */
  static String registryPort() {
    return Repo.properties(AppSettings.REGISTRY_PROPERTIES).getProperty("quarkus.http.port");
  }
}
