package io.distillery.labeler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillery.common.testing.AvroBinarySerde;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Memory holds a bounded number of answers; the topic still receives every one. */
class TeacherCacheBoundTest {

  private static final Teacher.TeacherLabel YES =
      new Teacher.TeacherLabel("yes", 0.9, null, 0.01, 10, 1);

  private final io.distillery.common.Topics topics = AvroBinarySerde.topics("test");
  private final MockProducer<byte[], byte[]> writes =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

  @Test
  void shouldEvictTheLeastRecentlyUsedAnswerBeyondTheBound() {
    var cache = new TeacherCache(topics.teacherCache(), "scope", writes, 3);
    cache.put("a", YES);
    cache.put("b", YES);
    cache.put("c", YES);
    assertThat(cache.get("a")).as("a get makes 'a' the most recently used").isPresent();

    cache.put("d", YES);
    cache.put("e", YES);

    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.evictions()).isEqualTo(2);
    assertThat(cache.get("a")).isPresent();
    assertThat(cache.get("d")).isPresent();
    assertThat(cache.get("e")).isPresent();
    assertThat(cache.get("b")).as("least recently used, evicted first").isEmpty();
    assertThat(cache.get("c")).isEmpty();
    assertThat(writes.history()).as("the topic keeps every answer").hasSize(5);
  }

  @Test
  void shouldNotEvictWhenAnAnswerIsPutAgain() {
    var cache = new TeacherCache(topics.teacherCache(), "scope", writes, 2);
    cache.put("a", YES);
    cache.put("b", YES);
    cache.put("a", YES);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.evictions()).isZero();
  }

  @Test
  void shouldRefuseABoundBelowOne() {
    assertThatThrownBy(() -> new TeacherCache(topics.teacherCache(), "scope", writes, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
