package io.distillery.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.testing.AvroBinarySerde;
import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFollowerTest {

  private static final String TOPIC = "test.models";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
  private static final Serde<ModelVersion> SERDE = AvroBinarySerde.of(ModelVersion.class);

  @TempDir Path dir;

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final ModelHolder holder = new ModelHolder(TestFixtures.TASK);

  @Test
  void shouldLoadTheNewestLoadablePromotedVersionOnceCaughtUpAndThenFollowNewOnes()
      throws Exception {
    var v1 = TestFixtures.saved(dir, 1, ModelStatus.PROMOTED);
    var v2Broken =
        TestFixtures.version(2, ModelStatus.PROMOTED, v1.getArtifactUri(), "00".repeat(32));
    var v3Candidate = TestFixtures.saved(dir, 3, ModelStatus.CANDIDATE);
    var v4 = TestFixtures.saved(dir, 4, ModelStatus.PROMOTED);

    consumer.updatePartitions(
        TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    consumer.updateEndOffsets(Map.of(PARTITION, 4L));
    consumer.schedulePollTask(
        () -> {
          add(0, v1);
          var key = TestFixtures.TASK.getBytes(StandardCharsets.UTF_8);
          consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, key, new byte[] {1, 2, 3}));
          add(2, v2Broken);
          add(3, v3Candidate);
        });

    try (var follower = new ModelFollower(consumer, TOPIC, SERDE.deserializer(), holder)) {
      follower.start();
      await(follower::ready);
      // v3 is only a candidate and v2's artifact fails its hash check: v1 it is.
      assertThat(holder.current().orElseThrow().version()).isEqualTo(1);

      consumer.schedulePollTask(() -> add(4, v4));
      await(() -> holder.current().orElseThrow().version() == 4);
      assertThat(follower.ready()).isTrue();
    }
    assertThat(consumer.closed()).isTrue();
  }

  @Test
  void shouldFollowARollbackToAnOlderVersionAtStartupAndLive() throws Exception {
    var v1 = TestFixtures.saved(dir, 1, ModelStatus.PROMOTED);
    var v2 = TestFixtures.saved(dir, 2, ModelStatus.PROMOTED);
    var v2Retired =
        TestFixtures.version(2, ModelStatus.RETIRED, v2.getArtifactUri(), v2.getArtifactSha256());

    consumer.updatePartitions(
        TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    consumer.updateEndOffsets(Map.of(PARTITION, 4L));
    consumer.schedulePollTask(
        () -> {
          add(0, v1);
          add(1, v2);
          add(2, v2Retired);
          add(3, v1);
        });

    try (var follower = new ModelFollower(consumer, TOPIC, SERDE.deserializer(), holder)) {
      follower.start();
      await(follower::ready);
      // The last promotion in the topic is v1's, after v2 was rolled back.
      assertThat(holder.current().orElseThrow().version()).isEqualTo(1);

      // Live: v2 promoted again by a person, then rolled back again.
      consumer.schedulePollTask(() -> add(4, v2));
      await(() -> holder.current().orElseThrow().version() == 2);
      consumer.schedulePollTask(
          () -> {
            add(5, v2Retired);
            add(6, v1);
          });
      await(() -> holder.current().orElseThrow().version() == 1);
    }
  }

  @Test
  void shouldBeReadyWithNoModelWhenTheTopicIsEmpty() throws Exception {
    givenAnEmptyTopic();

    try (var follower = new ModelFollower(consumer, TOPIC, SERDE.deserializer(), holder)) {
      follower.start();
      await(follower::ready);
      assertThat(holder.current()).isEmpty();
    }
  }

  @Test
  void shouldReportNotReadyAndWhyWhenTheConsumerFails() throws Exception {
    givenAnEmptyTopic();

    try (var follower = new ModelFollower(consumer, TOPIC, SERDE.deserializer(), holder)) {
      follower.start();
      await(follower::ready);
      consumer.setPollException(new KafkaException("the broker went away for good"));
      await(() -> follower.failure() != null);
      assertThat(follower.ready()).as("the classifier's health reads this").isFalse();
      assertThat(follower.failure())
          .startsWith("model follower stopped: ")
          .contains("the broker went away for good");
    }
    assertThat(consumer.closed()).isTrue();
  }

  private void add(long offset, ModelVersion version) {
    var value = SERDE.serializer().serialize(TOPIC, version);
    var key = version.getName().getBytes(StandardCharsets.UTF_8);
    consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, key, value));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    var deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private void givenAnEmptyTopic() {
    consumer.updatePartitions(
        TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    consumer.updateEndOffsets(Map.of(PARTITION, 0L));
  }
}
