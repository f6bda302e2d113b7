package io.distillery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rendered manifest read into its API type — fabric8's Kubernetes model, Strimzi's own CRD
 * model (the {@code io.strimzi:api} of the Strimzi release the docs name) — so a misspelt field, a
 * field in the wrong place or a value of the wrong type fails here instead of at {@code kubectl
 * apply}. Both models keep unknown fields in {@code additionalProperties} instead of refusing them;
 * the walk below finds any that were kept.
 */
class TypedManifestsTest {

  private static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry("Deployment", Deployment.class),
          Map.entry("Service", Service.class),
          Map.entry("ConfigMap", ConfigMap.class),
          Map.entry("Secret", Secret.class),
          Map.entry("PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("Ingress", Ingress.class),
          Map.entry("Kafka", Kafka.class),
          Map.entry("KafkaNodePool", KafkaNodePool.class),
          Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("KafkaTopic", KafkaTopic.class));

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @ParameterizedTest
  @ValueSource(strings = {"local", "prod"})
  void everyManifestIsItsApiTypeWithNoUnknownField(String overlay) {
    for (var resource : Manifests.of(overlay).resources()) {
      var kind = (String) resource.get("kind");
      var name = kind + " " + Repo.string(resource, "metadata", "name");
      assertThat(TYPES).as(overlay + ": a type for " + kind).containsKey(kind);
      var typed = JSON.convertValue(resource, TYPES.get(kind));
      assertThat(unknownFields(typed, name))
          .as(overlay + ": fields the API does not have")
          .isEmpty();
    }
  }

  @Test
  void aMisspeltFieldIsFound() {
    var deployment =
        Map.of(
            "apiVersion",
            "apps/v1",
            "kind",
            "Deployment",
            "metadata",
            Map.of("name", "x"),
            "spec",
            Map.of(
                "template",
                Map.of(
                    "spec",
                    Map.of(
                        "containers", List.of(Map.of("name", "app", "readinesProbe", Map.of()))))));
    var typed = JSON.convertValue(deployment, Deployment.class);
    assertThat(unknownFields(typed, "Deployment x"))
        .containsExactly("Deployment x.spec.template.spec.containers[0].readinesProbe");
    var topic =
        Map.of(
            "apiVersion",
            "kafka.strimzi.io/v1beta2",
            "kind",
            "KafkaTopic",
            "metadata",
            Map.of("name", "t"),
            "spec",
            Map.of("partition", 3));
    assertThat(unknownFields(JSON.convertValue(topic, KafkaTopic.class), "KafkaTopic t"))
        .containsExactly("KafkaTopic t.spec.partition");
  }

  /** Paths of every field kept in an {@code additionalProperties} map anywhere in {@code root}. */
  static List<String> unknownFields(Object root, String path) {
    var out = new ArrayList<String>();
    walk(root, path, out, new IdentityHashMap<>());
    return out;
  }

  private static void walk(Object value, String path, List<String> out, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (var item : items) {
        walk(item, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      // Free-form maps (labels, ConfigMap data, Kafka config): their keys are data, not fields.
      map.forEach((k, v) -> walk(v, path + "." + k, out, seen));
      return;
    }
    var type = value.getClass().getName();
    if (!type.startsWith("io.fabric8.") && !type.startsWith("io.strimzi.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getName().equals("getClass")) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> out.add(path + "." + k));
        }
        continue;
      }
      var field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
      walk(child, path + "." + field, out, seen);
    }
  }
}
