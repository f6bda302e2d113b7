package io.distillery.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillery.auditor.agreement.Agreement;
import io.distillery.auditor.agreement.Bootstrap;
import io.distillery.auditor.agreement.GateProcessor;
import io.distillery.auditor.mix.LabelMix;
import io.distillery.auditor.probe.ProbeSet;
import io.distillery.auditor.sampling.SamplingPolicy;
import io.distillery.auditor.verdicts.VerdictCounters;
import io.distillery.common.Codebook;
import io.distillery.common.DeadLetters;
import io.distillery.common.Topics;
import io.distillery.common.testing.AvroBinarySerde;
import io.distillery.schema.GateStatus;
import io.distillery.schema.LabeledText;
import io.distillery.schema.QualityReport;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.SampleReason;
import io.distillery.schema.ScoredText;
import io.distillery.schema.TeacherIdentity;
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
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class AuditorTopologyTest {

  private static final Topics TOPICS = AvroBinarySerde.topics("test");
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private static final String TASK = "sentiment";
  private static final Codebook CODEBOOK =
      new Codebook(
          TASK,
          "Opinion of a film",
          List.of(
              new Codebook.Label("negative", "A negative opinion."),
              new Codebook.Label("positive", "A positive opinion.")),
          "",
          List.of());

  @TempDir Path dir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, LabeledText> labeled;
  private TestInputTopic<String, byte[]> verdicts;
  private TestInputTopic<String, ScoredText> scored;
  private ProbeSet probes = ProbeSet.none();
  private TestOutputTopic<String, byte[]> requests;
  private TestOutputTopic<String, QualityReport> reports;
  private TestOutputTopic<byte[], byte[]> dlq;
  private final VerdictCounters counters = new VerdictCounters();

  /**
   * Starts the auditor with {@code settings} over uniform sampling alone: the other strategies are
   * off unless a test turns them on.
   */
  private void start(Map<String, String> settings) {
    var all = new java.util.HashMap<String, String>();
    all.put("distillery.auditor.stratified-min-per-label", "0");
    all.put("distillery.auditor.low-confidence-threshold", "0");
    all.put("distillery.auditor.disagreement-rate", "0");
    all.put("distillery.auditor.double-review-share", "0");
    all.putAll(settings);
    var config = TestAuditorConfig.of(all);
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "auditor-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    // In-memory stores: the driver commits, flushing RocksDB to disk, after every record, which
    // makes a thousand-record replay take seconds; the real broker's tests keep RocksDB.
    props.put(
        StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
        BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
    driver =
        new TopologyTestDriver(
            AuditorTopology.build(
                TOPICS, CODEBOOK, config, probes, Clock.fixed(NOW, ZoneOffset.UTC), 1, counters),
            props);
    labeled =
        driver.createInputTopic(
            TOPICS.labeled().name(),
            new StringSerializer(),
            TOPICS.labeled().valueSerde().serializer());
    // Raw bytes, so a test can send what no reviewer's client should, and compare dead letters.
    verdicts =
        driver.createInputTopic(
            TOPICS.reviewVerdicts().name(), new StringSerializer(), new ByteArraySerializer());
    scored =
        driver.createInputTopic(
            TOPICS.scored().name(),
            new StringSerializer(),
            TOPICS.scored().valueSerde().serializer());
    // Raw bytes, so a test can look at exactly what a reviewer's client would receive.
    requests =
        driver.createOutputTopic(
            TOPICS.reviewRequests().name(), new StringDeserializer(), new ByteArrayDeserializer());
    reports =
        driver.createOutputTopic(
            TOPICS.qualityReports().name(),
            new StringDeserializer(),
            TOPICS.qualityReports().valueSerde().deserializer());
    dlq =
        driver.createOutputTopic(
            TOPICS.dlq().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
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

  private static byte[] verdict(String id, String label) {
    return bytes(verdictOf(id, TASK, label));
  }

  private static ReviewVerdict verdictOf(String id, String task, String label) {
    return ReviewVerdict.newBuilder()
        .setId(id)
        .setTask(task)
        .setLabel(label)
        .setReviewer("ann")
        .setDecidedAt(NOW)
        .build();
  }

  private static byte[] bytes(ReviewVerdict verdict) {
    return TOPICS
        .reviewVerdicts()
        .valueSerde()
        .serializer()
        .serialize(TOPICS.reviewVerdicts().name(), verdict);
  }

  private static byte[] skip(String id) {
    return bytes(
        ReviewVerdict.newBuilder()
            .setId(id)
            .setTask(TASK)
            .setLabel(null)
            .setSkipped(true)
            .setReviewer("ann")
            .setDecidedAt(NOW)
            .build());
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
    // The rate itself is measured on 10,000 ids in SamplingPolicyTest; through the topology 1,000
    // keep this fast.
    var first = sampledIds(1_000, 0.1);
    var replay = sampledIds(1_000, 0.1);

    var sampler = new SamplingPolicy(0.1, 0, 0, 0, 0, 0, 0, 0);
    var expected =
        IntStream.range(0, 1_000)
            .mapToObj(i -> "text-" + i)
            .filter(sampler::uniformSampled)
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
    assertThat(dlq.isEmpty()).isTrue();
  }

  private static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The one dead letter written so far, checked for the source headers; returns its reason. */
  private String onlyDeadLetter(String key, byte[] original, long offset) {
    var letters = dlq.readRecordsToList();
    assertThat(letters).hasSize(1);
    var letter = letters.get(0);
    assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(key);
    assertThat(letter.value()).isEqualTo(original);
    var headers = letter.headers();
    assertThat(header(headers, DeadLetters.SOURCE_TOPIC)).isEqualTo(TOPICS.reviewVerdicts().name());
    assertThat(header(headers, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(header(headers, DeadLetters.SOURCE_OFFSET)).isEqualTo(Long.toString(offset));
    assertThat(header(headers, DeadLetters.ROLE)).isEqualTo("auditor");
    return header(headers, DeadLetters.REASON);
  }

  @Test
  void shouldRouteAVerdictWithALabelOutsideTheCodebookToTheDeadLetterTopic() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");
    label("t2", "v1", "positive");

    var bad = verdict("t1", "ecstatic");
    verdicts.pipeInput("t1", bad);
    verdicts.pipeInput("t2", verdict("t2", "positive"));

    assertThat(onlyDeadLetter("t1", bad, 0))
        .isEqualTo("label 'ecstatic' is not one of the codebook's labels [negative, positive]");
    // The stream keeps going, and the bad verdict counted nowhere.
    var report = reports.readValue();
    assertThat(report.getReviewed()).isEqualTo(1);
    assertThat(report.getConfusion()).isEqualTo(Map.of("positive", Map.of("positive", 1L)));
    assertThat(reports.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterVerdictsOnTextsItNeverSampled() {
    start(Map.of("distillery.auditor.sample-rate", "0.0"));
    label("t1", "v1", "positive");

    var unknown = verdict("t1", "positive");
    verdicts.pipeInput("t1", unknown);

    assertThat(onlyDeadLetter("t1", unknown, 0))
        .isEqualTo("unknown id 't1': the auditor never sampled it for review");
    assertThat(reports.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterAVerdictForAnotherTask() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");

    var foreign = bytes(verdictOf("t1", "toxicity", "positive"));
    verdicts.pipeInput("t1", foreign);

    assertThat(onlyDeadLetter("t1", foreign, 0))
        .isEqualTo("task 'toxicity' is not the codebook's task 'sentiment'");
    assertThat(reports.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterAVerdictThatIsNeitherALabelNorASkip() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");

    var empty = verdict("t1", null);
    verdicts.pipeInput("t1", empty);

    assertThat(onlyDeadLetter("t1", empty, 0)).isEqualTo("neither a label nor a skip");
  }

  @Test
  void shouldDeadLetterAVerdictWhoseKeyIsNotItsId() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");

    var misfiled = verdict("t2", "positive");
    verdicts.pipeInput("t1", misfiled);

    assertThat(onlyDeadLetter("t1", misfiled, 0))
        .isEqualTo("verdict id 't2' differs from its key 't1'");
  }

  @Test
  void shouldCountAVerdictWithoutAKeyByTheIdInItsValue() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");

    verdicts.pipeInput((String) null, verdict("t1", "positive"));

    var report = reports.readValue();
    assertThat(report.getReviewed()).isEqualTo(1);
    assertThat(report.getAgreed()).isEqualTo(1);
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(counters.accepted()).isEqualTo(1);
    assertThat(counters.deadLettered()).isZero();
  }

  @Test
  void shouldDeadLetterAnUnreadableVerdictWithoutAKeyWithItsOrigin() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");

    var pill = "no key, no avro".getBytes(StandardCharsets.UTF_8);
    verdicts.pipeInput((String) null, pill);
    verdicts.pipeInput("t1", verdict("t1", "positive"));

    var letters = dlq.readRecordsToList();
    assertThat(letters).hasSize(1);
    var letter = letters.get(0);
    assertThat(letter.key()).isNull();
    assertThat(letter.value()).isEqualTo(pill);
    assertThat(header(letter.headers(), DeadLetters.SOURCE_TOPIC))
        .isEqualTo(TOPICS.reviewVerdicts().name());
    assertThat(header(letter.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(header(letter.headers(), DeadLetters.REASON))
        .startsWith("no key, and not a ReviewVerdict: ");
    // The stream keeps going.
    assertThat(reports.readValue().getReviewed()).isEqualTo(1);
    assertThat(counters.deadLettered()).isEqualTo(1);
    assertThat(counters.accepted()).isEqualTo(1);
  }

  @Test
  void shouldDeadLetterATombstoneWithoutAKey() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));

    verdicts.pipeInput((String) null, (byte[]) null);

    var letters = dlq.readRecordsToList();
    assertThat(letters).hasSize(1);
    assertThat(header(letters.get(0).headers(), DeadLetters.REASON))
        .isEqualTo("a tombstone without a key: it names no text");
    assertThat(counters.deadLettered()).isEqualTo(1);
  }

  @Test
  void shouldDeadLetterAPoisonPillAndCountTheVerdictsAroundIt() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    label("t1", "v1", "positive");
    label("t2", "v1", "negative");

    var pill = "not avro at all".getBytes(StandardCharsets.UTF_8);
    verdicts.pipeInput("t1", verdict("t1", "positive"));
    verdicts.pipeInput("t9", pill);
    verdicts.pipeInput("t2", verdict("t2", "negative"));

    assertThat(onlyDeadLetter("t9", pill, 1)).startsWith("not a ReviewVerdict: ");
    var last = reports.readValuesToList().get(1);
    assertThat(last.getReviewed()).isEqualTo(2);
    assertThat(last.getAgreed()).isEqualTo(2);
  }

  @Test
  void shouldPublishEveryAgreementNumberOnTheReport() {
    start(
        Map.of(
            "distillery.auditor.sample-rate", "1.0",
            "distillery.auditor.min-reviewed", "4",
            "distillery.auditor.bootstrap-resamples", "200",
            "distillery.auditor.bootstrap-seed", "5"));
    var teacher = List.of("positive", "positive", "positive", "negative");
    var people = List.of("positive", "positive", "negative", "negative");
    for (int i = 0; i < 4; i++) {
      label("t" + i, "v1", teacher.get(i));
      verdicts.pipeInput("t" + i, verdict("t" + i, people.get(i)));
    }

    var published = reports.readValuesToList();
    var report = published.get(published.size() - 1);
    var expected =
        new Agreement(
            TASK,
            "v1",
            Map.of(
                "positive", Map.of("positive", 2L),
                "negative", Map.of("positive", 1L, "negative", 1L)));
    // negative: teacher gave it once (right), people twice; positive: teacher 3 times, 2 right.
    assertThat(report.getPerClass()).containsOnlyKeys("negative", "positive");
    var negative = report.getPerClass().get("negative");
    assertThat(negative.getSupport()).isEqualTo(2);
    assertThat(negative.getPredicted()).isEqualTo(1);
    assertThat(negative.getAgreed()).isEqualTo(1);
    assertThat(negative.getPrecision()).isEqualTo(1.0);
    assertThat(negative.getRecall()).isEqualTo(0.5);
    assertThat(negative.getF1()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(report.getPerClass().get("positive").getPrecision())
        .isCloseTo(2.0 / 3, within(1e-12));
    assertThat(report.getTeacherMix()).isEqualTo(Map.of("positive", 3L, "negative", 1L));
    assertThat(report.getHumanMix()).isEqualTo(Map.of("positive", 2L, "negative", 2L));
    assertThat(report.getMacroF1()).isCloseTo(expected.macroF1(), within(1e-12));
    var intervals = expected.intervals(new Bootstrap(200, 5));
    assertThat(report.getAccuracyInterval().getLower()).isEqualTo(intervals.accuracy().lower());
    assertThat(report.getAccuracyInterval().getUpper()).isEqualTo(intervals.accuracy().upper());
    assertThat(report.getMacroF1Interval().getLower()).isEqualTo(intervals.macroF1().lower());
    assertThat(report.getKappaInterval().getUpper()).isEqualTo(intervals.kappa().upper());
    assertThat(report.getBootstrapResamples()).isEqualTo(200);
    assertThat(report.getBootstrapSeed()).isEqualTo(5);
    // Accuracy 3/4, kappa (0.75 - 0.5) / (1 - 0.5) = 0.5, macro-F1 (2/3 + 4/5) / 2 ~ 0.733.
    assertThat(report.getGate()).isEqualTo(GateStatus.PASS);
    assertThat(report.getGateReason()).startsWith("4 reviewed; macro-F1 0.733 >= 0.700;");
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
  void shouldWarnOnceWhenTheGateFlipsToFail() {
    var logged = new ArrayList<LogRecord>();
    var handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    var logger = java.util.logging.Logger.getLogger(GateProcessor.class.getName());
    logger.addHandler(handler);
    try {
      start(
          Map.of(
              "distillery.auditor.sample-rate", "1.0",
              "distillery.auditor.min-reviewed", "2"));
      // The teacher says positive; people say negative: every review is a disagreement.
      for (int i = 0; i < 4; i++) {
        label("t" + i, "v1", "positive");
        verdicts.pipeInput("t" + i, verdict("t" + i, "negative"));
      }
    } finally {
      logger.removeHandler(handler);
    }

    assertThat(reports.readValuesToList())
        .extracting(QualityReport::getGate)
        .containsExactly(
            GateStatus.INSUFFICIENT_DATA, GateStatus.FAIL, GateStatus.FAIL, GateStatus.FAIL);
    // JBoss Logging's WARN is a level of its own, at java.util.logging's WARNING value.
    var warnings =
        logged.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getMessage())
        .contains("gate FAIL for task 'sentiment', prompt version v1 (was INSUFFICIENT_DATA)")
        .contains("macro-F1 0.000 is below 0.700");
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

  private ReviewRequest request(org.apache.kafka.streams.KeyValue<String, byte[]> kv) {
    return decode(kv.value);
  }

  private static ReviewVerdict verdictBy(String reviewer, String id, String label, Instant at) {
    return ReviewVerdict.newBuilder()
        .setId(id)
        .setTask(TASK)
        .setLabel(label)
        .setSkipped(label == null)
        .setReviewer(reviewer)
        .setDecidedAt(at)
        .build();
  }

  @Test
  void shouldReviewTheFirstTextsOfEveryTeacherLabelRareOnesIncluded() {
    start(
        Map.of(
            "distillery.auditor.sample-rate", "0",
            "distillery.auditor.stratified-min-per-label", "5"));
    // 1 in 50 texts is negative: uniform sampling at a few percent would review about one of them.
    for (int i = 0; i < 500; i++) {
      label("t" + i, "v1", i % 50 == 7 ? "negative" : "positive");
    }
    label("u0", "v2", "positive");

    var sent = requests.readKeyValuesToList().stream().map(this::request).toList();
    assertThat(sent).allSatisfy(r -> assertThat(r.getReason()).isEqualTo(SampleReason.STRATIFIED));
    // The first five of each label, and no more.
    assertThat(sent)
        .filteredOn(r -> r.getPromptVersion().equals("v1"))
        .extracting(ReviewRequest::getId)
        .containsExactlyInAnyOrder(
            "t0", "t1", "t2", "t3", "t4", "t7", "t57", "t107", "t157", "t207");
    // A new prompt version starts its own quotas.
    assertThat(sent).filteredOn(r -> r.getPromptVersion().equals("v2")).hasSize(1);
  }

  @Test
  void shouldStopSamplingForTheRestOfTheHourOnceItsBudgetIsSpent() {
    start(
        Map.of(
            "distillery.auditor.sample-rate", "1.0",
            "distillery.auditor.budget-per-hour", "10",
            "distillery.auditor.budget-per-day", "15"));
    var hour = Instant.parse("2026-01-02T03:00:00Z");
    for (int i = 0; i < 30; i++) {
      labeled.pipeInput("a" + i, teacherLabel("a" + i, "v1", "positive"), hour.plusSeconds(i));
    }
    assertThat(requests.readKeyValuesToList()).hasSize(10);

    var next = hour.plusSeconds(3_600);
    for (int i = 0; i < 30; i++) {
      labeled.pipeInput("b" + i, teacherLabel("b" + i, "v1", "positive"), next.plusSeconds(i));
    }
    // The new hour has 10 more to spend, but the day has only 5 left.
    assertThat(requests.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("b0", "b1", "b2", "b3", "b4");

    var tomorrow = Instant.parse("2026-01-03T00:10:00Z");
    labeled.pipeInput("c0", teacherLabel("c0", "v1", "positive"), tomorrow);
    assertThat(requests.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("c0");
  }

  @Test
  void shouldReviewTextsWhereTheStudentDisagreesWithinTheWindow() {
    start(
        Map.of(
            "distillery.auditor.sample-rate", "0",
            "distillery.auditor.disagreement-rate", "1.0",
            "distillery.auditor.disagreement-window", "PT10M"));
    var at = Instant.parse("2026-01-02T03:00:00Z");
    scored.pipeInput("same", scoredAs("same", "positive"), at);
    scored.pipeInput("differs", scoredAs("differs", "negative"), at);
    scored.pipeInput("stale", scoredAs("stale", "negative"), at.minusSeconds(3_600));

    var later = at.plusSeconds(60);
    labeled.pipeInput("same", teacherLabel("same", "v1", "positive"), later);
    labeled.pipeInput("differs", teacherLabel("differs", "v1", "positive"), later);
    labeled.pipeInput("stale", teacherLabel("stale", "v1", "positive"), later);
    labeled.pipeInput("unscored", teacherLabel("unscored", "v1", "positive"), later);

    var sent = requests.readKeyValuesToList().stream().map(this::request).toList();
    assertThat(sent).extracting(ReviewRequest::getId).containsExactly("differs");
    assertThat(sent.get(0).getReason()).isEqualTo(SampleReason.DISAGREEMENT);
    // The student's label decides what is sampled but, like the teacher's, is not on the request.
    assertThat(sent.get(0).toString()).doesNotContain("negative");
  }

  @Test
  void shouldReviewLowConfidenceTeacherLabels() {
    start(
        Map.of(
            "distillery.auditor.sample-rate", "0",
            "distillery.auditor.low-confidence-threshold", "0.6",
            "distillery.auditor.low-confidence-rate", "1.0"));
    var unsure = teacherLabel("unsure", "v1", "positive");
    unsure.setConfidence(0.4);
    var unsureByConsistency = teacherLabel("split", "v1", "positive");
    unsureByConsistency.setConfidence(null);
    unsureByConsistency.setConsistency(0.5);
    labeled.pipeInput("sure", teacherLabel("sure", "v1", "positive"));
    labeled.pipeInput("unsure", unsure);
    labeled.pipeInput("split", unsureByConsistency);

    var sent = requests.readKeyValuesToList().stream().map(this::request).toList();
    assertThat(sent).extracting(ReviewRequest::getId).containsExactly("unsure", "split");
    assertThat(sent)
        .allSatisfy(r -> assertThat(r.getReason()).isEqualTo(SampleReason.LOW_CONFIDENCE));
  }

  @Test
  void shouldSampleTheSameTextsForTheSameReasonsOnEveryReplay() {
    var settings =
        Map.of(
            "distillery.auditor.sample-rate", "0.1",
            "distillery.auditor.stratified-min-per-label", "3",
            "distillery.auditor.low-confidence-threshold", "0.6",
            "distillery.auditor.low-confidence-rate", "0.5",
            "distillery.auditor.disagreement-rate", "0.5",
            "distillery.auditor.budget-per-hour", "80",
            "distillery.auditor.double-review-share", "0.3");
    var runs = new ArrayList<List<String>>();
    for (int run = 0; run < 2; run++) {
      start(settings);
      var at = Instant.parse("2026-01-02T03:00:00Z");
      for (int i = 0; i < 600; i++) {
        var id = "t" + i;
        if (i % 3 == 0) {
          scored.pipeInput(id, scoredAs(id, "negative"), at.plusSeconds(i));
        }
        var teacher = teacherLabel(id, "v1", i % 7 == 0 ? "negative" : "positive");
        teacher.setConfidence(i % 5 == 0 ? 0.3 : 0.9);
        labeled.pipeInput(id, teacher, at.plusSeconds(i));
      }
      runs.add(
          requests.readKeyValuesToList().stream()
              .map(this::request)
              .map(r -> r.getId() + " " + r.getReason() + " " + r.getReviewers())
              .toList());
      close();
    }

    assertThat(runs.get(0)).hasSize(80).isEqualTo(runs.get(1));
    assertThat(runs.get(0).stream().map(line -> line.split(" ")[1]).collect(Collectors.toSet()))
        .contains("STRATIFIED", "DISAGREEMENT", "LOW_CONFIDENCE", "UNIFORM");
    assertThat(runs.get(0)).anyMatch(line -> line.endsWith(" 2"));
  }

  @Test
  void shouldMeasurePeopleAgainstEachOtherWhereTwoReviewedTheSameText() {
    start(Map.of("distillery.auditor.sample-rate", "1.0"));
    for (var id : List.of("t1", "t2", "t3", "t4")) {
      label(id, "v1", "positive");
    }
    // ann first on every text: the teacher is measured against her; bob second on three.
    verdicts.pipeInput("t1", bytes(verdictBy("ann", "t1", "positive", NOW)));
    verdicts.pipeInput("t2", bytes(verdictBy("ann", "t2", "negative", NOW)));
    verdicts.pipeInput("t3", bytes(verdictBy("ann", "t3", "positive", NOW)));
    verdicts.pipeInput("t4", bytes(verdictBy("ann", "t4", "negative", NOW)));
    verdicts.pipeInput("t1", bytes(verdictBy("bob", "t1", "positive", NOW)));
    verdicts.pipeInput("t2", bytes(verdictBy("bob", "t2", "negative", NOW)));
    verdicts.pipeInput("t3", bytes(verdictBy("bob", "t3", "negative", NOW)));
    verdicts.pipeInput("t4", bytes(verdictBy("bob", "t4", "negative", NOW)));
    // bob withdraws his answer on t4: only his.
    verdicts.pipeInput("t4", bytes(verdictBy("bob", "t4", null, NOW)));

    var all = reports.readValuesToList();
    var last = all.get(all.size() - 1);
    assertThat(last.getReviewed()).isEqualTo(4);
    assertThat(last.getConfusion())
        .isEqualTo(Map.of("positive", Map.of("positive", 2L), "negative", Map.of("positive", 2L)));
    // Pairs (ann, bob): (positive, positive), (negative, negative), (positive, negative).
    assertThat(last.getHumanPairs()).isEqualTo(3);
    assertThat(last.getHumanAgreement()).isCloseTo(2.0 / 3, within(1e-12));
    // p_o = 2/3; ann said positive 2/3, bob 1/3: p_e = 2/3*1/3 + 1/3*2/3 = 4/9; kappa = (2/3 -
    // 4/9) / (1 - 4/9) = 0.4.
    assertThat(last.getHumanKappa()).isCloseTo(0.4, within(1e-12));
  }

  @Test
  void shouldAlsoMeasureTheTeacherOverTheSlidingWindow() {
    start(
        Map.of(
            "distillery.auditor.sample-rate", "1.0",
            "distillery.auditor.window-days", "7"));
    for (var id : List.of("old1", "old2", "new1")) {
      label(id, "v1", "positive");
    }
    var longAgo = NOW.minus(java.time.Duration.ofDays(10));
    verdicts.pipeInput("old1", bytes(verdictBy("ann", "old1", "negative", longAgo)));
    verdicts.pipeInput("old2", bytes(verdictBy("ann", "old2", "negative", longAgo)));
    verdicts.pipeInput("new1", bytes(verdictBy("ann", "new1", "positive", NOW)));

    var all = reports.readValuesToList();
    var last = all.get(all.size() - 1);
    assertThat(last.getReviewed()).isEqualTo(3);
    assertThat(last.getAccuracy()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(last.getWindowDays()).isEqualTo(7);
    assertThat(last.getWindowReviewed()).isEqualTo(1);
    assertThat(last.getWindowAccuracy()).isEqualTo(1.0);
  }

  private static ScoredText scoredAs(String id, String label) {
    return ScoredText.newBuilder()
        .setId(id)
        .setText("text of " + id)
        .setLabel(label)
        .setProbabilities(Map.of(label, 0.9))
        .setModelName("hashed-linear")
        .setModelVersion(1)
        .setScoredAt(NOW)
        .build();
  }

  @Test
  void shouldCountTheTeachersLabelMixPerSourceAndDayAndMarkAShift() {
    start(
        Map.of(
            "distillery.auditor.sample-rate", "0",
            "distillery.auditor.mix-min-items", "50",
            "distillery.auditor.mix-max-psi", "0.2"));
    var yesterday = NOW.minus(java.time.Duration.ofDays(1));
    for (int i = 0; i < 100; i++) {
      var before = teacherLabel("y" + i, "v1", i < 90 ? "positive" : "negative");
      before.setLabeledAt(yesterday);
      labeled.pipeInput(before.getId(), before);
      var after = teacherLabel("n" + i, "v1", i < 50 ? "positive" : "negative");
      labeled.pipeInput(after.getId(), after);
    }

    var store = driver.<String, LabelMix>getKeyValueStore(AuditorTopology.LABEL_MIX_STORE);
    var shifts = store.get(TASK).shifts(new LabelMix.Monitor(7, 50, 0.2));
    var source = shifts.get("test");
    assertThat(source.live()).isEqualTo(Map.of("positive", 50L, "negative", 50L));
    assertThat(source.reference()).isEqualTo(Map.of("positive", 90L, "negative", 10L));
    assertThat(source.psi()).isCloseTo(0.878890, within(1e-6));
    assertThat(source.alert()).isTrue();
    assertThat(
            driver
                .<String, Boolean>getKeyValueStore(AuditorTopology.MIX_ALERT_STORE)
                .get(TASK + "|test"))
        .isTrue();
  }

  @Test
  void shouldReportHowManyProbeLabelsChangedSinceThePreviousRunAndAlertPastTheMaximum()
      throws Exception {
    var file = dir.resolve("probe.jsonl");
    java.nio.file.Files.writeString(
        file,
        """
        {"id": "p1", "text": "a fine film", "label": "positive"}
        {"id": "p2", "text": "a dull film", "label": "negative"}

        {"id": "p3", "text": "a long film", "label": "negative"}
        {"id": "p4", "text": "a film"}
        """);
    probes = ProbeSet.load(file, CODEBOOK);
    start(
        Map.of(
            "distillery.auditor.sample-rate", "0",
            "distillery.auditor.probe-max-changed", "0.2"));
    label("p1", "v1", "positive");
    label("p2", "v1", "negative");
    label("p3", "v1", "positive");
    label("p4", "v1", "positive");
    label("not-a-probe", "v1", "positive");

    var first = reports.readValuesToList();
    var afterFirstRun = first.get(first.size() - 1);
    assertThat(afterFirstRun.getProbeItems()).isEqualTo(4);
    assertThat(afterFirstRun.getProbeChangedShare()).isNull();
    assertThat(afterFirstRun.getProbeAgreement()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(afterFirstRun.getProbeAlert()).isFalse();
    assertThat(afterFirstRun.getReviewed()).isZero();
    assertThat(afterFirstRun.getGate()).isEqualTo(GateStatus.INSUFFICIENT_DATA);

    // The second run: the teacher now answers p1 and p3 differently.
    label("p1", "v1", "negative");
    label("p2", "v1", "negative");
    label("p3", "v1", "negative");
    label("p4", "v1", "positive");

    var second = reports.readValuesToList();
    var afterSecondRun = second.get(second.size() - 1);
    assertThat(afterSecondRun.getProbeItems()).isEqualTo(4);
    assertThat(afterSecondRun.getProbeChangedShare()).isEqualTo(0.5);
    assertThat(afterSecondRun.getProbeAgreement()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(afterSecondRun.getProbeAlert()).isTrue();

    // A third run with the same answers: nothing changed since the second.
    for (var id : List.of("p1", "p2", "p3")) {
      label(id, "v1", "negative");
    }
    label("p4", "v1", "positive");
    var third = reports.readValuesToList();
    assertThat(third.get(third.size() - 1).getProbeChangedShare()).isEqualTo(0.0);
    assertThat(third.get(third.size() - 1).getProbeAlert()).isFalse();

    // p4, the one probe text without a person's label, went to review once, over three runs.
    var sent = requests.readKeyValuesToList().stream().map(this::request).toList();
    assertThat(sent).extracting(ReviewRequest::getId).containsExactly("p4");
    assertThat(sent.get(0).getReason()).isEqualTo(SampleReason.PROBE);
  }
}
