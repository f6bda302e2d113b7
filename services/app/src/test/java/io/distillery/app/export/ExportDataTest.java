package io.distillery.app.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.auditor.agreement.Agreement;
import io.distillery.auditor.agreement.Bootstrap;
import io.distillery.auditor.agreement.ReviewedLabel;
import io.distillery.schema.LabeledText;
import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.SampleReason;
import io.distillery.schema.ScoredText;
import io.distillery.schema.TeacherIdentity;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The export as a reader of it sees it: one row per text, people's latest answers, an audit. */
class ExportDataTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExportData data = new ExportData("sentiment");

  @Test
  void shouldJoinTeacherStudentAndPeoplePerTextKeepingEachOnesLatest() {
    data.labeled(label("a", "negative"));
    data.labeled(label("a", "positive"));
    data.labeled(label("b", "negative"));
    data.scored(score("a", "positive", 1));
    data.scored(score("a", "positive", 2));
    data.scored(score("c", "negative", 2));
    data.requested(request("a", SampleReason.UNIFORM));
    data.requested(request("a", SampleReason.UNIFORM));
    data.requested(request("b", SampleReason.LOW_CONFIDENCE));
    data.verdict(verdict("a", "ann", "negative"));
    data.verdict(verdict("a", "ann", "positive"));
    data.verdict(verdict("a", "bob", "positive"));
    data.verdict(verdict("b", "ann", "negative"));
    data.verdict(verdict("b", "ann", null));
    // Other tasks are passed over.
    var other = label("z", "positive");
    other.setTask("stance");
    data.labeled(other);

    var rows = data.rows();

    assertThat(rows).extracting(ExportData.Row::id).containsExactly("a", "b", "c");
    var a = rows.get(0);
    assertThat(a.teacher().getLabel()).isEqualTo("positive");
    assertThat(a.student().getModelVersion()).isEqualTo(2);
    assertThat(a.people())
        .extracting(ExportData.HumanLabel::reviewer, ExportData.HumanLabel::label)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ann", "positive"),
            org.assertj.core.groups.Tuple.tuple("bob", "positive"));
    assertThat(rows.get(1).people()).as("ann skipped b after labeling it").isEmpty();
    assertThat(rows.get(2).teacher()).isNull();
    assertThat(rows.get(2).text()).isEqualTo("text of c");
    assertThat(data.teacherLabeled()).isEqualTo(2);
    assertThat(data.studentScored()).isEqualTo(2);
    assertThat(data.peopleLabeled()).isEqualTo(1);
    assertThat(data.verdicts()).isEqualTo(5);
    assertThat(data.skips()).isEqualTo(1);
    assertThat(data.sampleReasons())
        .isEqualTo(Map.of(SampleReason.UNIFORM, 1L, SampleReason.LOW_CONFIDENCE, 1L));
  }

  @Test
  void shouldWriteJsonLinesAndCsvWithEveryField() throws Exception {
    data.labeled(label("a", "positive"));
    data.scored(score("a", "positive", 3));
    data.verdict(verdict("a", "ann", "positive"));
    data.scored(score("b, with a comma", "negative", 3));

    var jsonl = new StringWriter();
    RowWriter.write(RowWriter.Format.JSONL, data.rows(), jsonl);
    var lines = jsonl.toString().split("\n");
    assertThat(lines).hasSize(2);
    var first = JSON.readTree(lines[0]);
    assertThat(first.at("/teacher/prompt_version").asText()).isEqualTo("v1");
    assertThat(first.at("/teacher/confidence").asDouble()).isEqualTo(0.9);
    assertThat(first.at("/student/probabilities/positive").asDouble()).isEqualTo(0.8);
    assertThat(first.at("/student/model_version").asLong()).isEqualTo(3);
    assertThat(first.at("/people/0/label").asText()).isEqualTo("positive");
    assertThat(JSON.readTree(lines[1]).get("teacher").isNull()).isTrue();

    var csv = new StringWriter();
    RowWriter.write(RowWriter.Format.CSV, data.rows(), csv);
    var rows =
        new com.fasterxml.jackson.dataformat.csv.CsvMapper()
            .readerForMapOf(String.class)
            .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader())
            .<Map<String, String>>readValues(csv.toString())
            .readAll();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).keySet()).containsExactlyElementsOf(RowWriter.CSV_COLUMNS);
    assertThat(rows.get(0))
        .containsEntry("teacher_label", "positive")
        .containsEntry("student_model_version", "3");
    assertThat(rows.get(1))
        .containsEntry("id", "b, with a comma")
        .containsEntry("teacher_label", "");
    assertThatThrownBy(() -> RowWriter.Format.parse("parquet")).hasMessageContaining("not offered");
  }

  @Test
  void shouldReportTheTeachersAgreementAsTheAuditorPublishedItAndEveryModel() {
    var agreement = Agreement.empty();
    for (int i = 0; i < 8; i++) {
      agreement = agreement.add(new ReviewedLabel("sentiment", "v1", "positive", "positive"));
    }
    agreement = agreement.add(new ReviewedLabel("sentiment", "v1", "positive", "negative"));
    agreement = agreement.add(new ReviewedLabel("sentiment", "v1", "negative", "negative"));
    var gate = new Agreement.Gate(5, 0.5, 0.0, 1000, 0.0, 0.0);
    data.report(agreement.toReport(agreement.gate(gate), new Bootstrap(100, 1), NOW, 30));
    data.model(model(1, ModelStatus.PROMOTED));
    data.model(model(2, ModelStatus.REJECTED));
    data.labeled(label("a", "positive"));

    var audit = AuditReport.markdown(data, null, 0.05, NOW);

    assertThat(audit)
        .contains("| accuracy | 0.9000 |")
        .contains("| reviewed (with a label) | 10 |")
        .contains("Gate: **PASS**")
        .contains("configured share 0.050")
        .contains("| 1 | hashed-linear | PROMOTED |")
        .contains("| 2 | hashed-linear | REJECTED |")
        .contains("| `v1` | 1 |");
  }

  private static LabeledText label(String id, String label) {
    return LabeledText.newBuilder()
        .setId(id)
        .setText("text of " + id)
        .setTask("sentiment")
        .setLabel(label)
        .setConfidence(0.9)
        .setTeacher(
            TeacherIdentity.newBuilder()
                .setKind("replay")
                .setModel("llm_label")
                .setPromptVersion("v1")
                .build())
        .setSource("test")
        .setLabeledAt(NOW)
        .build();
  }

  private static ScoredText score(String id, String label, long version) {
    return ScoredText.newBuilder()
        .setId(id)
        .setText("text of " + id)
        .setSource("test")
        .setLabel(label)
        .setProbabilities(
            Map.of(label, 0.8, "positive".equals(label) ? "negative" : "positive", 0.2))
        .setModelName("sentiment")
        .setModelVersion(version)
        .setScoredAt(NOW)
        .build();
  }

  private static ReviewRequest request(String id, SampleReason reason) {
    return ReviewRequest.newBuilder()
        .setId(id)
        .setText("text of " + id)
        .setTask("sentiment")
        .setPromptVersion("v1")
        .setReason(reason)
        .setRequestedAt(NOW)
        .build();
  }

  private static ReviewVerdict verdict(String id, String reviewer, String label) {
    return ReviewVerdict.newBuilder()
        .setId(id)
        .setTask("sentiment")
        .setLabel(label)
        .setSkipped(label == null)
        .setReviewer(reviewer)
        .setDecidedAt(NOW)
        .build();
  }

  private static ModelVersion model(long version, ModelStatus status) {
    return ModelVersion.newBuilder()
        .setName("sentiment")
        .setVersion(version)
        .setKind("hashed-linear")
        .setStatus(status)
        .setArtifactUri("file:/m/" + version)
        .setArtifactSha256("00")
        .setLabels(List.of("negative", "positive"))
        .setPromptVersion("v1")
        .setTrainingSize(100)
        .setMetrics(Map.of("macro_f1", 0.8))
        .setCreatedAt(NOW)
        .build();
  }
}
