package io.distillery.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillery.common.Topics;
import io.distillery.common.testing.AvroBinarySerde;
import io.distillery.schema.GateStatus;
import io.distillery.schema.LabeledText;
import io.distillery.schema.QualityReport;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.SampleReason;
import io.distillery.schema.TeacherIdentity;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditorTopologyTest {

  private static final Topics TOPICS = AvroBinarySerde.topics("test");
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private static final String TASK = "sentiment";

  @TempDir Path dir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, LabeledText> labeled;
  private TestInputTopic<String, ReviewVerdict> verdicts;
  private TestOutputTopic<String, byte[]> requests;
  private TestOutputTopic<String, QualityReport> reports;

  private void start(Map<String, String> settings) {
    var config =
        new SmallRyeConfigBuilder()
            .withMapping(AuditorConfig.class)
            .withSources(new PropertiesConfigSource(settings, "test", 100))
            .build()
            .getConfigMapping(AuditorConfig.class);
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "auditor-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    driver =
        new TopologyTestDriver(
            AuditorTopology.build(TOPICS, config, Clock.fixed(NOW, ZoneOffset.UTC)), props);
    labeled =
        driver.createInputTopic(
            TOPICS.labeled().name(),
            new StringSerializer(),
            TOPICS.labeled().valueSerde().serializer());
    verdicts =
        driver.createInputTopic(
            TOPICS.reviewVerdicts().name(),
            new StringSerializer(),
            TOPICS.reviewVerdicts().valueSerde().serializer());
    // Raw bytes, so a test can look at exactly what a reviewer's client would receive.
    requests =
        driver.createOutputTopic(
            TOPICS.reviewRequests().name(), new StringDeserializer(), new ByteArrayDeserializer());
    reports =
        driver.createOutputTopic(
            TOPICS.qualityReports().name(),
            new StringDeserializer(),
            TOPICS.qualityReports().valueSerde().deserializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
      driver = null;
    }
  }

  private static LabeledText teacherLabel(String id, String promptVersion, String label) {
    return LabeledText.newBuilder()
        .setId(id)
        .setText("text of " + id)
        .setTask(TASK)
        .setLabel(label)
        .setConfidence(0.9)
        .setTeacher(
            TeacherIdentity.newBuilder()
                .setKind("replay")
                .setModel("label")
                .setPromptVersion(promptVersion)
                .build())
        .setSource("test")
        .setLabeledAt(NOW)
        .build();
  }

  private static ReviewVerdict verdict(String id, String label) {
    return ReviewVerdict.newBuilder()
        .setId(id)
        .setTask(TASK)
        .setLabel(label)
        .setReviewer("ann")
        .setDecidedAt(NOW)
        .build();
  }

  private static ReviewVerdict skip(String id) {
    return ReviewVerdict.newBuilder()
        .setId(id)
        .setTask(TASK)
        .setLabel(null)
        .setSkipped(true)
        .setReviewer("ann")
        .setDecidedAt(NOW)
        .build();
  }

  private void label(String id, String promptVersion, String label) {
    labeled.pipeInput(id, teacherLabel(id, promptVersion, label));
  }

  private ReviewRequest decode(byte[] bytes) {
    return TOPICS
        .reviewRequests()
        .valueSerde()
        .deserializer()
        .deserialize(TOPICS.reviewRequests().name(), bytes);
  }

  /** Ids sent to review when {@code count} labelled texts are replayed through a fresh auditor. */
  private Set<String> sampledIds(int count, double rate) {
    start(Map.of("distillery.auditor.sample-rate", Double.toString(rate)));
    try {
      for (int i = 0; i < count; i++) {
        label("text-" + i, "v1", "positive");
      }
      return requests.readKeyValuesToList().stream().map(kv -> kv.key).collect(Collectors.toSet());
    } finally {
      close();
    }
  }

  @Test
  void shouldRequestReviewOfExactlyTheSampledIdsOnEveryReplay() {
    // The rate itself is measured on 10,000 ids in UniformSamplerTest; through the topology 1,000
    // keep this fast.
    var first = sampledIds(1_000, 0.1);
    var replay = sampledIds(1_000, 0.1);

    var sampler = new UniformSampler(0.1);
    var expected =
        IntStream.range(0, 1_000)
            .mapToObj(i -> "text-" + i)
            .filter(sampler::sampled)
            .collect(Collectors.toSet());
    assertThat(first).isNotEmpty().isEqualTo(expected);
    assertThat(replay).isEqualTo(first);
  }

  @Test
  void shouldSampleNothingAtRateZeroAndEverythingAtRateOne() {
    assertThat(sampledIds(200, 0.0)).isEmpty();
    assertThat(sampledIds(200, 1.0)).hasSize(200);
  }

  @Test
  void shouldSendReviewRequestsWithoutTheTeacherLabel() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));

    label("t1", "v1", "sarcastic-unique-label");

    var sent = requests.readKeyValuesToList();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).key).isEqualTo("t1");
    var request = decode(sent.get(0).value);
    assertThat(request.getId()).isEqualTo("t1");
    assertThat(request.getText()).isEqualTo("text of t1");
    assertThat(request.getTask()).isEqualTo(TASK);
    assertThat(request.getPromptVersion()).isEqualTo("v1");
    assertThat(request.getReason()).isEqualTo(SampleReason.UNIFORM);
    assertThat(request.getRequestedAt()).isEqualTo(NOW);
    // Blind review: the label is neither a field of the request nor anywhere in its bytes.
    assertThat(request.toString()).doesNotContain("sarcastic-unique-label");
    assertThat(new String(sent.get(0).value, StandardCharsets.ISO_8859_1))
        .doesNotContain("sarcastic-unique-label");
  }

  @Test
  void shouldMeasureTeacherAgainstVerdictsPerPromptVersion() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");
    label("t2", "v1", "positive");
    label("t3", "v1", "negative");
    label("t4", "v2", "negative");

    verdicts.pipeInput("t1", verdict("t1", "positive"));
    verdicts.pipeInput("t2", verdict("t2", "negative"));
    verdicts.pipeInput("t3", verdict("t3", "negative"));
    verdicts.pipeInput("t4", verdict("t4", "positive"));

    var published = reports.readKeyValuesToList();
    assertThat(published).allSatisfy(kv -> assertThat(kv.key).isEqualTo(TASK));
    var latest =
        published.stream()
            .collect(
                Collectors.toMap(kv -> kv.value.getPromptVersion(), kv -> kv.value, (a, b) -> b));
    assertThat(latest).containsOnlyKeys("v1", "v2");

    var v1 = latest.get("v1");
    assertThat(v1.getTask()).isEqualTo(TASK);
    assertThat(v1.getReviewed()).isEqualTo(3);
    assertThat(v1.getAgreed()).isEqualTo(2);
    assertThat(v1.getAccuracy()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(v1.getConfusion())
        .isEqualTo(
            Map.of(
                "positive",
                Map.of("positive", 1L),
                "negative",
                Map.of("positive", 1L, "negative", 1L)));
    assertThat(v1.getGate()).isEqualTo(GateStatus.INSUFFICIENT_DATA);
    assertThat(v1.getGeneratedAt()).isEqualTo(NOW);

    var v2 = latest.get("v2");
    assertThat(v2.getReviewed()).isEqualTo(1);
    assertThat(v2.getAgreed()).isZero();
    assertThat(v2.getAccuracy()).isEqualTo(0.0);
    assertThat(v2.getConfusion()).isEqualTo(Map.of("positive", Map.of("negative", 1L)));
  }

  @Test
  void shouldIgnoreSkippedVerdicts() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");
    label("t2", "v1", "negative");

    verdicts.pipeInput("t1", skip("t1"));

    assertThat(reports.isEmpty()).isTrue();

    verdicts.pipeInput("t2", verdict("t2", "negative"));

    var report = reports.readValue();
    assertThat(report.getReviewed()).isEqualTo(1);
    assertThat(report.getConfusion()).isEqualTo(Map.of("negative", Map.of("negative", 1L)));
    assertThat(reports.isEmpty()).isTrue();
  }

  @Test
  void shouldCountOnlyTheLatestVerdictPerText() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");

    verdicts.pipeInput("t1", verdict("t1", "negative"));
    verdicts.pipeInput("t1", verdict("t1", "positive"));

    var reports = this.reports.readValuesToList();
    var last = reports.get(reports.size() - 1);
    assertThat(last.getReviewed()).isEqualTo(1);
    assertThat(last.getAgreed()).isEqualTo(1);
    assertThat(last.getConfusion()).isEqualTo(Map.of("positive", Map.of("positive", 1L)));
  }

  @Test
  void shouldWithdrawAVerdictWhenTheReviewerSkipsTheTextLater() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");
    label("t2", "v1", "positive");
    verdicts.pipeInput("t1", verdict("t1", "negative"));
    verdicts.pipeInput("t2", verdict("t2", "positive"));

    verdicts.pipeInput("t1", skip("t1"));

    var reports = this.reports.readValuesToList();
    var last = reports.get(reports.size() - 1);
    assertThat(last.getReviewed()).isEqualTo(1);
    assertThat(last.getConfusion()).isEqualTo(Map.of("positive", Map.of("positive", 1L)));
  }

  @Test
  void shouldCountAVerdictThatArrivesBeforeItsTeacherLabel() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));

    verdicts.pipeInput("t1", verdict("t1", "negative"));
    assertThat(reports.isEmpty()).isTrue();
    label("t1", "v1", "negative");

    var report = reports.readValue();
    assertThat(report.getReviewed()).isEqualTo(1);
    assertThat(report.getAgreed()).isEqualTo(1);
  }

  @Test
  void shouldIgnoreVerdictsOnTextsItDidNotSample() {
    start(Map.of("distillery.auditor.sample-rate", "0.0"));
    label("t1", "v1", "positive");

    verdicts.pipeInput("t1", verdict("t1", "positive"));

    assertThat(reports.isEmpty()).isTrue();
  }

  @Test
  void shouldReportInsufficientDataThenPassOrFailByThresholds() {
    start(
        Map.of(
            "distillery.auditor.sample-rate", "1.0",
            "distillery.auditor.min-reviewed", "4",
            "distillery.auditor.min-macro-f1", "0.7",
            "distillery.auditor.min-kappa", "0.4"));
    // v1: the teacher agrees with every verdict. v2: it calls everything positive; people split
    // evenly.
    var teacher = List.of("positive", "positive", "negative", "negative");
    var v2Humans = List.of("positive", "negative", "negative", "positive");
    for (int i = 0; i < 4; i++) {
      label("a" + i, "v1", teacher.get(i));
      label("b" + i, "v2", "positive");
    }

    var v1Gates = new ArrayList<GateStatus>();
    var v2Gates = new ArrayList<GateStatus>();
    for (int i = 0; i < 4; i++) {
      verdicts.pipeInput("a" + i, verdict("a" + i, teacher.get(i)));
      verdicts.pipeInput("b" + i, verdict("b" + i, v2Humans.get(i)));
      for (var report : reports.readValuesToList()) {
        (report.getPromptVersion().equals("v1") ? v1Gates : v2Gates).add(report.getGate());
      }
    }

    assertThat(v1Gates)
        .containsExactly(
            GateStatus.INSUFFICIENT_DATA,
            GateStatus.INSUFFICIENT_DATA,
            GateStatus.INSUFFICIENT_DATA,
            GateStatus.PASS);
    // v2 at four reviews: accuracy 0.5, macro-F1 (2/3 + 0)/2 = 1/3, kappa (0.5 - 0.5)/(1 - 0.5) =
    // 0.
    assertThat(v2Gates)
        .containsExactly(
            GateStatus.INSUFFICIENT_DATA,
            GateStatus.INSUFFICIENT_DATA,
            GateStatus.INSUFFICIENT_DATA,
            GateStatus.FAIL);
  }

  @Test
  void shouldKeepAgreementQueryablePerTaskAndPromptVersion() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");
    verdicts.pipeInput("t1", verdict("t1", "positive"));

    var store = driver.<String, Agreement>getKeyValueStore(AuditorTopology.AGREEMENT_STORE);
    var agreement = store.get(TASK + "|v1");
    assertThat(agreement.reviewed()).isEqualTo(1);
    assertThat(agreement.accuracy()).isEqualTo(1.0);
  }
}
