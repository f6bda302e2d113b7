package io.distillery.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.auditor.probe.ProbeSet;
import io.distillery.auditor.verdicts.VerdictCounters;
import io.distillery.common.Codebook;
import io.distillery.common.StableHash;
import io.distillery.common.Topics;
import io.distillery.common.testing.AvroBinarySerde;
import io.distillery.schema.GateStatus;
import io.distillery.schema.LabeledText;
import io.distillery.schema.QualityReport;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.TeacherIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate on real data: published LLM labels replayed as the teacher, and the same texts' human
 * labels standing in for reviewers, through the auditor's topology with every text sampled and the
 * default thresholds (250 reviews, macro-F1 0.7, kappa 0.4, per-class floors 0.3 from 10 items).
 * Datasets from {@code ../shared/datasets} (system property {@code distillery.datasets}).
 */
public class TeacherGateOnRealDataTest {

  private static final Path DATASETS =
      Path.of(System.getProperty("distillery.datasets", "../../../shared/datasets"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Topics TOPICS = AvroBinarySerde.topics("replay");
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  @TempDir Path dir;

  /** One row of {@code data.jsonl}. */
  private record Row(String id, String text, String humanLabel, String llmLabel, String split) {}

  private static List<Row> rows(String dataset) throws IOException {
    var rows = new ArrayList<Row>();
    for (var line : Files.readAllLines(DATASETS.resolve(dataset).resolve("data.jsonl"))) {
      if (line.isBlank()) {
        continue;
      }
      var node = JSON.readTree(line);
      rows.add(
          new Row(
              node.get("id").asText(),
              node.get("text").asText(),
              textOrNull(node.get("human_label")),
              textOrNull(node.get("llm_label")),
              node.get("split").asText()));
    }
    return rows;
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  /** The dataset's ready codebook: its {@code meta.json} labels with their definitions. */
  private static Codebook codebook(String dataset) throws IOException {
    var meta = JSON.readTree(DATASETS.resolve(dataset).resolve("meta.json").toFile());
    var labels = new ArrayList<Codebook.Label>();
    for (var label : meta.get("labels").properties()) {
      labels.add(new Codebook.Label(label.getKey(), label.getValue().asText()));
    }
    return new Codebook(dataset, meta.get("task").asText(), labels, "", List.of());
  }

  /** Every row as a teacher label, then every human label as a verdict; the last report. */
  private QualityReport replay(Codebook codebook, List<Row> rows) {
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "auditor-replay");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    // In-memory stores: the replay is about the numbers, and the driver commits (flushing RocksDB
    // to disk) after every record, which costs ten times the processing here.
    props.put(
        StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
        BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
    var config = TestAuditorConfig.of(Map.of("distillery.auditor.sample-rate", "1.0"));
    var topology =
        AuditorTopology.build(
            TOPICS,
            codebook,
            config,
            ProbeSet.none(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            1,
            new VerdictCounters());
    try (var driver = new TopologyTestDriver(topology, props)) {
      var labeled =
          driver.createInputTopic(
              TOPICS.labeled().name(),
              new StringSerializer(),
              TOPICS.labeled().valueSerde().serializer());
      var verdicts =
          driver.createInputTopic(
              TOPICS.reviewVerdicts().name(),
              new StringSerializer(),
              TOPICS.reviewVerdicts().valueSerde().serializer());
      var reports =
          driver.createOutputTopic(
              TOPICS.qualityReports().name(),
              new StringDeserializer(),
              TOPICS.qualityReports().valueSerde().deserializer());
      var dlq =
          driver.createOutputTopic(
              TOPICS.dlq().name(), new StringDeserializer(), new StringDeserializer());
      for (var row : rows) {
        labeled.pipeInput(row.id(), teacherLabel(codebook, row));
      }
      for (var row : rows) {
        verdicts.pipeInput(row.id(), verdict(codebook, row));
      }
      assertThat(dlq.isEmpty()).as("dead letters").isTrue();
      var published = reports.readValuesToList();
      assertThat(published).hasSize(rows.size());
      return published.get(published.size() - 1);
    }
  }

  private static LabeledText teacherLabel(Codebook codebook, Row row) {
    return LabeledText.newBuilder()
        .setId(row.id())
        .setText(row.text())
        .setTask(codebook.task())
        .setLabel(row.llmLabel())
        .setTeacher(
            TeacherIdentity.newBuilder()
                .setKind("replay")
                .setModel("llm_label")
                .setPromptVersion(codebook.promptVersion())
                .build())
        .setSource(codebook.task())
        .setLabeledAt(NOW)
        .build();
  }

  private static ReviewVerdict verdict(Codebook codebook, Row row) {
    return ReviewVerdict.newBuilder()
        .setId(row.id())
        .setTask(codebook.task())
        .setLabel(row.humanLabel())
        .setReviewer("human_label")
        .setDecidedAt(NOW)
        .build();
  }

  @Test
  void shouldFailATeacherThatAgreesWithPeopleOnlyThreeTimesInTen() throws IOException {
    var codebook = codebook("css-implicit-hate");
    // All 498 rows carry both labels: every one is a review, well above the 250 needed.
    var rows =
        rows("css-implicit-hate").stream()
            .filter(r -> r.llmLabel() != null && r.humanLabel() != null)
            .toList();
    assertThat(rows).hasSize(498);

    var report = replay(codebook, rows);

    assertThat(report.getReviewed()).isEqualTo(498);
    // The dataset's published accuracy of gpt-3.5-turbo against the human labels: 0.2972.
    assertThat(report.getAccuracy()).isCloseTo(0.2972, within(0.0001));
    assertThat(report.getGate()).isEqualTo(GateStatus.FAIL);
    assertThat(report.getGateReason()).contains("macro-F1").contains("kappa");
    // Not a fluke of which texts were reviewed: even the top of each interval misses the bar.
    assertThat(report.getMacroF1Interval().getUpper()).isLessThan(0.7);
    assertThat(report.getKappaInterval().getUpper()).isLessThan(0.4);
    assertThat(report.getPerClass()).containsOnlyKeys(codebook.labelNames());
    System.out.printf(
        "css-implicit-hate: %d reviewed, accuracy %.3f %s, macro-F1 %.3f %s, kappa %.3f %s; %s: %s%n",
        report.getReviewed(),
        report.getAccuracy(),
        report.getAccuracyInterval(),
        report.getMacroF1(),
        report.getMacroF1Interval(),
        report.getKappa(),
        report.getKappaInterval(),
        report.getGate(),
        report.getGateReason());
  }

  @Test
  void shouldPassATeacherThatAgreesWithPeopleNineTimesInTen() throws IOException {
    var codebook = codebook("movie-review-polarity");
    // The file is sorted by label: a hash of the id gives a fixed, label-balanced sample.
    var rows =
        rows("movie-review-polarity").stream()
            .filter(r -> r.split().equals("train") && r.llmLabel() != null)
            .sorted(Comparator.comparingDouble(r -> StableHash.unit(r.id(), "auditor-replay")))
            .limit(600)
            .toList();

    var report = replay(codebook, rows);

    assertThat(report.getReviewed()).isEqualTo(600);
    assertThat(report.getGate()).isEqualTo(GateStatus.PASS);
    // 0.937 over all 8,278 labelled rows; 600 of them should land close, and their interval
    // should hold it.
    assertThat(report.getAccuracy()).isCloseTo(0.937, within(0.03));
    assertThat(report.getAccuracyInterval().getLower()).isLessThan(0.937);
    assertThat(report.getAccuracyInterval().getUpper()).isGreaterThan(0.937);
    // Not a lucky pass: even the bottom of each interval clears the bar.
    assertThat(report.getMacroF1Interval().getLower()).isGreaterThan(0.7);
    assertThat(report.getKappaInterval().getLower()).isGreaterThan(0.4);
    System.out.printf(
        "movie-review-polarity: %d reviewed, accuracy %.3f %s, macro-F1 %.3f %s, kappa %.3f %s; %s: %s%n",
        report.getReviewed(),
        report.getAccuracy(),
        report.getAccuracyInterval(),
        report.getMacroF1(),
        report.getMacroF1Interval(),
        report.getKappa(),
        report.getKappaInterval(),
        report.getGate(),
        report.getGateReason());
  }
}
