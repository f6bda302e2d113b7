package io.distillery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Strimzi topics match the app's own topic layout ({@link Topics#newTopics}), the Kafka cluster
 * can hold their replicas, and no autoscaler can add pods that would get no partition.
 */
class TopicLayoutTest {

  /** The topic each scaling role consumes: its pods share that topic's partitions. */
  private static final Map<String, String> INPUT =
      Map.of(
          "distillery-classifier", "distillery.texts.raw",
          "distillery-labeler", "distillery.texts.for-teacher");

  /**
   * The app's topics under the default prefix; only names and layout are read, never the serdes.
   */
  private static final Topics APP_TOPICS = Topics.create("distillery", TopicLayoutTest::noSerde);

  private static <T extends SpecificRecord> Serde<T> noSerde(Class<T> type) {
    Serializer<T> serializer =
        (topic, value) -> {
          throw new UnsupportedOperationException("layout only");
        };
    Deserializer<T> deserializer =
        (topic, bytes) -> {
          throw new UnsupportedOperationException("layout only");
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "prod"})
  void everyTopicTheAppUsesHasAKafkaTopicWithItsLayout(String overlay) {
    var manifests = Manifests.of(overlay);
    var declared = kafkaTopics(manifests);
    var app = APP_TOPICS.newTopics(1, (short) 1);
    assertThat(declared.keySet())
        .containsExactlyInAnyOrderElementsOf(app.stream().map(NewTopic::name).toList());
    for (var topic : app) {
      var resource = declared.get(topic.name());
      var policy = topic.configs() == null ? null : topic.configs().get("cleanup.policy");
      assertThat(Repo.string(resource, "spec", "config", "cleanup.policy"))
          .as(overlay + ": " + topic.name() + " cleanup.policy")
          .isEqualTo(policy);
    }
    assertThat(Manifests.integer(declared.get(APP_TOPICS.models().name()), "spec", "partitions"))
        .as("the models topic keeps versions in order on one partition")
        .isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "prod"})
  void theClusterHoldsEveryReplicaAndTheAppAgreesWithTheTopics(String overlay) {
    var manifests = Manifests.of(overlay);
    int nodes = Manifests.integer(manifests.get("KafkaNodePool", "dual-role"), "spec", "replicas");
    var kafkaConfig =
        Repo.map(
            Repo.at(manifests.get("Kafka", "distillery"), "spec", "kafka", "config"), "config");
    int minIsr = ((Number) kafkaConfig.get("min.insync.replicas")).intValue();
    var env = Repo.map(Repo.at(manifests.get("ConfigMap", "distillery-env"), "data"), "env");
    int appReplication =
        Integer.parseInt(String.valueOf(env.get("DISTILLERY_KAFKA_REPLICATION_FACTOR")));
    int appPartitions = Integer.parseInt(String.valueOf(env.get("DISTILLERY_KAFKA_PARTITIONS")));
    assertThat(appReplication).isLessThanOrEqualTo(nodes);
    for (var entry : kafkaTopics(manifests).entrySet()) {
      int replicas = Manifests.integer(entry.getValue(), "spec", "replicas");
      assertThat(replicas)
          .as(overlay + ": " + entry.getKey() + " replicas")
          .isLessThanOrEqualTo(nodes);
      assertThat(replicas)
          .as(entry.getKey() + " replicas = the app's replication factor")
          .isEqualTo(appReplication);
      // Writes with acks=all need min.insync.replicas live replicas: one broker down must not stop
      // them.
      assertThat(minIsr)
          .as(overlay + ": min.insync.replicas")
          .isLessThanOrEqualTo(Math.max(1, replicas - 1));
      if (!entry.getKey().equals(APP_TOPICS.models().name())) {
        assertThat(Manifests.integer(entry.getValue(), "spec", "partitions"))
            .as(overlay + ": " + entry.getKey() + " partitions = DISTILLERY_KAFKA_PARTITIONS")
            .isEqualTo(appPartitions);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "prod"})
  void noAutoscalerAddsPodsBeyondThePartitionsOfTheirInput(String overlay) {
    var manifests = Manifests.of(overlay);
    var topics = kafkaTopics(manifests);
    var scaled = new HashMap<String, Integer>();
    for (var hpa : manifests.ofKind("HorizontalPodAutoscaler")) {
      var target = Repo.string(hpa, "spec", "scaleTargetRef", "name");
      assertThat(Repo.string(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
      manifests.get("Deployment", target);
      assertThat(INPUT)
          .as(overlay + ": only roles that share partitions autoscale")
          .containsKey(target);
      int partitions = Manifests.integer(topics.get(INPUT.get(target)), "spec", "partitions");
      int max = Manifests.integer(hpa, "spec", "maxReplicas");
      assertThat(max).as(overlay + ": " + target + " maxReplicas").isLessThanOrEqualTo(partitions);
      assertThat(Manifests.integer(hpa, "spec", "minReplicas")).isLessThanOrEqualTo(max);
      scaled.put(target, max);
    }
    assertThat(scaled).containsOnlyKeys(INPUT.keySet());
    for (var target : INPUT.entrySet()) {
      int partitions = Manifests.integer(topics.get(target.getValue()), "spec", "partitions");
      assertThat(
              Manifests.integer(manifests.get("Deployment", target.getKey()), "spec", "replicas"))
          .isLessThanOrEqualTo(partitions);
    }
  }

  private static Map<String, Map<String, Object>> kafkaTopics(Manifests manifests) {
    var topics = manifests.ofKind("KafkaTopic");
    for (var topic : topics) {
      assertThat(Repo.string(topic, "metadata", "labels", "strimzi.io/cluster"))
          .isEqualTo("distillery");
    }
    return topics.stream()
        .collect(Collectors.toMap(t -> Repo.string(t, "spec", "topicName"), t -> t));
  }
}
