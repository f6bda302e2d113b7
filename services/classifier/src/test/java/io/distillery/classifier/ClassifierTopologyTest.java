package io.distillery.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.distillery.common.DeadLetters;
import io.distillery.common.Topics;
import io.distillery.schema.ModelStatus;
import io.distillery.schema.ScoredText;
import io.distillery.schema.TextEvent;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierTopologyTest {

  private static final Topics TOPICS = TestFixtures.topics("test");

  @TempDir Path dir;

  private final ClassifierCounters counters = new ClassifierCounters();
  private final ModelHolder holder = new ModelHolder(TestFixtures.TASK);
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, ScoredText> scored;
  private TestOutputTopic<byte[], byte[]> dlq;
  private TestOutputTopic<String, byte[]> forTeacher;

  private void start(Map<String, String> settings) {
    start(settings, TOPICS.raw().valueSerde().deserializer());
  }

  private void start(Map<String, String> settings, Deserializer<TextEvent> textDeserializer) {
    var topology =
        ClassifierTopology.build(
            TOPICS, TestFixtures.config(settings), holder, textDeserializer, counters);
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "classifier-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    driver = new TopologyTestDriver(topology, props);
    raw =
        driver.createInputTopic(
            TOPICS.raw().name(), new StringSerializer(), new ByteArraySerializer());
    var scoredValues = TOPICS.scored().valueSerde().deserializer();
    scored =
        driver.createOutputTopic(TOPICS.scored().name(), new StringDeserializer(), scoredValues);
    dlq =
        driver.createOutputTopic(
            TOPICS.dlq().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    forTeacher =
        driver.createOutputTopic(
            TOPICS.forTeacher().name(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static String reason(org.apache.kafka.streams.test.TestRecord<String, byte[]> r) {
    return new String(
        r.headers().lastHeader(ClassifierTopology.TEACHER_REASON_HEADER).value(),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private void offer(long version) {
    var promoted =
        TestFixtures.saved(
            dir.resolve("model-v" + version + ".zip"), version, ModelStatus.PROMOTED);
    assertThat(holder.offer(promoted)).isTrue();
  }

  private void pipe(String id, String text) {
    var bytes =
        TOPICS
            .raw()
            .valueSerde()
            .serializer()
            .serialize(TOPICS.raw().name(), TestFixtures.text(id, text));
    raw.pipeInput(id, bytes);
  }

  @Test
  void shouldScoreEachTextWithTheCurrentModel() {
    start(Map.of());
    offer(1);

    pipe("t1", "a wonderful, moving film");
    pipe("t2", "a terrible waste of time");

    var out = scored.readKeyValuesToList();
    assertThat(out).extracting(kv -> kv.key).containsExactly("t1", "t2");
    var first = out.get(0).value;
    assertThat(first.getId()).isEqualTo("t1");
    assertThat(first.getText()).isEqualTo("a wonderful, moving film");
    assertThat(first.getSource()).isEqualTo("test");
    assertThat(first.getLabel()).isEqualTo("positive");
    assertThat(out.get(1).value.getLabel()).isEqualTo("negative");
    for (var kv : out) {
      var s = kv.value;
      assertThat(s.getProbabilities()).containsOnlyKeys(TestFixtures.LABELS);
      var sum = s.getProbabilities().values().stream().mapToDouble(Double::doubleValue).sum();
      assertThat(sum).isCloseTo(1.0, within(1e-6));
      assertThat(s.getProbabilities().get(s.getLabel()))
          .isEqualTo(Collections.max(s.getProbabilities().values()));
      assertThat(s.getModelName()).isEqualTo(TestFixtures.TASK);
      assertThat(s.getModelVersion()).isEqualTo(1L);
      assertThat(s.getLatencyMicros()).isNotNegative();
      assertThat(s.getScoredAt()).isNotNull();
    }
    // The training texts themselves are scored confidently: not uncertain at the default threshold
    // of 0.6.
    assertThat(first.getUncertain()).isFalse();
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(counters.scored()).isEqualTo(2);
  }

  @Test
  void shouldFlagUncertainWhenTopProbabilityIsBelowThreshold() {
    start(Map.of("distillery.classifier.uncertain-threshold", "0.99"));
    offer(1);

    pipe(
        "sure",
        "a wonderful, moving film. great acting and a great story. brilliant and beautiful");
    pipe("unsure", "zzz qqq xxx");

    var out = scored.readValuesToList();
    assertThat(out).hasSize(2);
    for (var s : out) {
      double top = Collections.max(s.getProbabilities().values());
      assertThat(s.getUncertain())
          .as("uncertain for top probability %s", top)
          .isEqualTo(top < 0.99);
    }
    // Words the student never saw leave it near the prior: well below 0.99.
    assertThat(out.get(1).getUncertain()).isTrue();
    assertThat(counters.uncertain())
        .isEqualTo(out.stream().filter(ScoredText::getUncertain).count());
  }

  @Test
  void shouldHoldRecordsUntilAModelExistsAndThenScoreThemInOrder() {
    start(Map.of());

    pipe("a", "a wonderful, moving film");
    pipe("b", "a terrible waste of time");
    pipe("c", "brilliant and beautiful");
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    assertThat(scored.isEmpty()).isTrue();
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(counters.pending()).isEqualTo(3);
    assertThat(
            driver
                .<String, Object>getKeyValueStore(ClassifierTopology.PENDING_STORE)
                .approximateNumEntries())
        .isEqualTo(3);

    offer(1);
    // A text arriving now must not overtake the ones waiting.
    pipe("d", "awful and ugly");
    driver.advanceWallClockTime(Duration.ofSeconds(1));

    assertThat(scored.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("a", "b", "c", "d");
    assertThat(counters.pending()).isZero();
    try (var left =
        driver.<String, Object>getKeyValueStore(ClassifierTopology.PENDING_STORE).all()) {
      assertThat(left.hasNext()).isFalse();
    }
  }

  @Test
  void shouldScoreALargeBacklogInSourceOrder() {
    start(Map.of());
    var ids = IntStream.range(0, 250).mapToObj(i -> "t" + i).toList();
    ids.forEach(id -> pipe(id, "text number " + id));

    offer(1);
    driver.advanceWallClockTime(Duration.ofSeconds(1));

    assertThat(scored.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactlyElementsOf(ids);
    assertThat(counters.pending()).isZero();
  }

  @Test
  void shouldScoreHeldRecordsOnTheWallClockWhenNoNewTextArrives() {
    start(Map.of("distillery.classifier.pending-flush-interval", "PT2S"));
    pipe("a", "a wonderful, moving film");
    offer(1);

    driver.advanceWallClockTime(Duration.ofMillis(500));
    assertThat(scored.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(scored.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a");
  }

  @Test
  void shouldRouteNonAvroAndEmptyTextsToTheDeadLetterTopicWithHeaders() {
    start(Map.of());
    offer(1);
    var notAvro = "{\"id\": \"x\", \"text\": \"json, not avro\"}".getBytes(StandardCharsets.UTF_8);

    pipe("good-1", "a wonderful, moving film"); // offset 0
    raw.pipeInput("poison", notAvro); // offset 1
    pipe("empty", "   "); // offset 2
    pipe("huge", "a".repeat(100_001)); // offset 3
    pipe("mangled", "caf\uFFFD au lait"); // offset 4
    pipe("good-2", "a terrible waste of time"); // offset 5

    assertThat(scored.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("good-1", "good-2");
    var letters = dlq.readRecordsToList();
    assertThat(letters).hasSize(4);

    var poison = letters.get(0);
    assertThat(poison.key()).isEqualTo("poison".getBytes(StandardCharsets.UTF_8));
    assertThat(poison.value()).isEqualTo(notAvro);
    assertThat(header(poison, DeadLetters.REASON))
        .startsWith("not a TextEvent")
        .contains("magic byte");
    assertThat(header(poison, DeadLetters.SOURCE_TOPIC)).isEqualTo("test.texts.raw");
    assertThat(header(poison, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(header(poison, DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
    assertThat(header(poison, DeadLetters.ROLE)).isEqualTo("classifier");

    assertThat(letters.subList(1, 4))
        .extracting(r -> header(r, DeadLetters.REASON), r -> header(r, DeadLetters.SOURCE_OFFSET))
        .containsExactly(
            tuple("empty text", "2"),
            tuple("text has 100001 characters, more than 100000", "3"),
            tuple("text is not valid UTF-8 (it holds U+FFFD replacement characters)", "4"));
    // The original bytes, so an operator can fix and replay them.
    var original =
        TOPICS.raw().valueSerde().deserializer().deserialize("any", letters.get(1).value());
    assertThat(original.getText()).isEqualTo("   ");
    assertThat(counters.deadLettered()).isEqualTo(4);
  }

  @Test
  void shouldNameTheVersionThatScoredEachRecord() {
    start(Map.of());
    offer(1);
    pipe("before-1", "a wonderful, moving film");
    pipe("before-2", "a terrible waste of time");

    offer(2);
    pipe("after-1", "brilliant and beautiful");
    pipe("after-2", "awful and ugly");

    assertThat(scored.readValuesToList())
        .extracting(ScoredText::getId, ScoredText::getModelVersion)
        .containsExactly(
            tuple("before-1", 1L),
            tuple("before-2", 1L),
            tuple("after-1", 2L),
            tuple("after-2", 2L));
  }

  @Test
  void shouldRetryRatherThanDeadLetterWhenTheRegistryIsUnreachable() {
    Deserializer<TextEvent> unreachable =
        (topic, bytes) -> {
          throw new SerializationException(
              "cannot fetch schema", new ConnectException("Connection refused"));
        };
    start(Map.of(), unreachable);
    offer(1);

    assertThatThrownBy(() -> pipe("t1", "a wonderful, moving film"))
        .hasRootCauseInstanceOf(ConnectException.class);

    assertThat(dlq.isEmpty()).isTrue();
    assertThat(scored.isEmpty()).isTrue();
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Headers headers = record.headers();
    var header = headers.lastHeader(name);
    assertThat(header).as("header %s", name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldSendEveryTextToTheTeacherWhileNoModelExistsAndNotAgainOnceScored() {
    start(Map.of("distillery.classifier.teacher-sample-rate", "0"));

    pipe("t1", "a wonderful, moving film");
    pipe("t2", "a terrible waste of time");

    var sent = forTeacher.readRecordsToList();
    assertThat(sent).extracting(r -> r.key()).containsExactly("t1", "t2");
    assertThat(sent).allSatisfy(r -> assertThat(reason(r)).isEqualTo("no-model"));
    // The original bytes, untouched, for the labeler.
    var decoded =
        TOPICS.forTeacher().valueSerde().deserializer().deserialize("x", sent.get(0).value());
    assertThat(decoded.getText()).isEqualTo("a wonderful, moving film");

    offer(1);
    pipe("t3", "a wonderful, moving film");

    assertThat(scored.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("t1", "t2", "t3");
    // t1 and t2 went to the teacher already; t3 is confident and outside the sample.
    assertThat(forTeacher.isEmpty()).isTrue();
    assertThat(counters.toTeacher()).isEqualTo(Map.of("no-model", 2L));
    assertThat(counters.studentOnly()).isEqualTo(1);
  }

  @Test
  void shouldSendUncertainTextsAndTheSampleToTheTeacherAndKeepTheRest() {
    // Every text is uncertain below a threshold of 0.999.
    start(
        Map.of(
            "distillery.classifier.uncertain-threshold", "0.999",
            "distillery.classifier.teacher-sample-rate", "0"));
    offer(1);
    pipe("t1", "a wonderful, moving film");
    assertThat(forTeacher.readRecordsToList())
        .singleElement()
        .satisfies(r -> assertThat(reason(r)).isEqualTo("uncertain"));
    close();

    // Nothing uncertain; a tenth of the rest sampled, by id hash.
    start(Map.of("distillery.classifier.teacher-sample-rate", "0.1"));
    // The holder still has v1.
    int texts = 1_000;
    for (int i = 0; i < texts; i++) {
      pipe("s" + i, "a wonderful, moving film");
    }
    var sampled = forTeacher.readRecordsToList();
    assertThat(sampled).allSatisfy(r -> assertThat(reason(r)).isEqualTo("sample"));
    // Binomial(1000, 0.1): a standard deviation of 9.5; 60..140 is over four of them.
    assertThat(sampled.size()).isBetween(60, 140);
    assertThat(counters.toTeacher()).containsEntry("sample", (long) sampled.size());
    assertThat(counters.studentOnly()).isEqualTo(texts - sampled.size());
    var expected =
        java.util.stream.IntStream.range(0, texts)
            .mapToObj(i -> "s" + i)
            .filter(
                id ->
                    io.distillery.common.StableHash.unit(id, "distillery.classifier.teacher-sample")
                        < 0.1)
            .toList();
    assertThat(sampled).extracting(r -> r.key()).containsExactlyElementsOf(expected);
  }

  @Test
  void shouldFlagATextWhoseTopTwoProbabilitiesAreCloserThanTheMargin() {
    start(
        Map.of(
            "distillery.classifier.uncertain-threshold", "0",
            "distillery.classifier.uncertain-margin", "0.999",
            "distillery.classifier.teacher-sample-rate", "0"));
    offer(1);

    pipe("t1", "a wonderful, moving film");

    var out = scored.readValue();
    assertThat(out.getUncertain()).isTrue();
    assertThat(reason(forTeacher.readRecord())).isEqualTo("uncertain");
  }

  @Test
  void shouldAlsoWriteEachScoredTextToItsLabelsTopicWhenAsked() {
    start(Map.of("distillery.classifier.per-label-topics", "true"));
    var positive =
        driver.createOutputTopic(
            TOPICS.scoredWith("positive"),
            new StringDeserializer(),
            TOPICS.scored().valueSerde().deserializer());
    var negative =
        driver.createOutputTopic(
            TOPICS.scoredWith("negative"),
            new StringDeserializer(),
            TOPICS.scored().valueSerde().deserializer());
    offer(1);

    pipe("t1", "a wonderful, moving film");
    pipe("t2", "a terrible waste of time");
    pipe("t3", "great acting and a great story");

    assertThat(positive.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("t1", "t3");
    assertThat(negative.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("t2");
    assertThat(scored.readKeyValuesToList()).hasSize(3);
  }
}
