package io.distillery.app.export;

import io.distillery.common.Codebook;
import io.distillery.schema.ConfidenceInterval;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.QualityReport;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code audit.md}: what a methods section reports of an LLM-labeled dataset (after the validation
 * workflow of Pangakis & Wolken): the teacher against people with intervals and the sample it was
 * measured on, the gate's verdict, every student version with its metrics, the codebook and prompt
 * versions, and who labeled how many texts. Pure: from an {@link ExportData}.
 */
final class AuditReport {

  private AuditReport() {}

  /**
   * @param data what the topics hold for the task
   * @param codebook the codebook in force where the export ran, or null
   * @param sampleRate the auditor's configured review share, or null when not known here
   * @param exportedAt when
   */
  static String markdown(
      ExportData data, Codebook codebook, Double sampleRate, Instant exportedAt) {
    var md = new StringBuilder();
    md.append("# Audit: ").append(data.task()).append("\n\n");
    md.append("Exported ").append(exportedAt).append(" from the topics (read committed).\n\n");

    md.append("## Who labeled the texts\n\n");
    md.append("| by | texts |\n|---|---|\n");
    md.append("| the teacher (LLM) | ").append(data.teacherLabeled()).append(" |\n");
    md.append("| the student | ").append(data.studentScored()).append(" |\n");
    md.append("| people | ").append(data.peopleLabeled()).append(" |\n\n");

    md.append("## Codebook and prompt versions\n\n");
    md.append("| prompt version | teacher labels |\n|---|---|\n");
    data.promptVersions()
        .forEach((v, n) -> md.append("| `").append(v).append("` | ").append(n).append(" |\n"));
    if (codebook != null) {
      md.append("\nThe codebook in force here has prompt version `")
          .append(codebook.promptVersion())
          .append("`")
          .append(
              data.promptVersions().containsKey(codebook.promptVersion())
                  ? ""
                  : " (no exported label was made under it)")
          .append(": task `")
          .append(codebook.task())
          .append("`, labels ")
          .append(codebook.labelNames())
          .append(".\n");
    }
    md.append('\n');

    md.append("## The sample people reviewed\n\n");
    var reasons = data.sampleReasons();
    long sampled = reasons.values().stream().mapToLong(Long::longValue).sum();
    md.append("Texts sent to blind review (people never see the teacher's label): ")
        .append(sampled)
        .append(
            sampleRate == null
                ? ""
                : String.format(Locale.ROOT, "; configured share %.3f", sampleRate))
        .append(".\n\n| drawn because | texts |\n|---|---|\n");
    new TreeMap<>(reasons)
        .forEach((r, n) -> md.append("| ").append(r).append(" | ").append(n).append(" |\n"));
    md.append("\nVerdicts read: ")
        .append(data.verdicts())
        .append(" (")
        .append(data.skips())
        .append(" skips), from ")
        .append(data.reviewers())
        .append(" reviewer(s); texts with a person's label: ")
        .append(data.peopleLabeled())
        .append(".\n\n");

    md.append("## The teacher against people\n\n");
    if (data.reports().isEmpty()) {
      md.append("No quality report yet: the auditor has not measured this task.\n\n");
    }
    new TreeMap<>(data.reports()).forEach((version, report) -> teacher(md, version, report));

    md.append("## Student versions\n\n");
    md.append(
        "| version | kind | status | why | trained on | prompt version | macro-F1 (people) | metrics | created |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (ModelVersion m : data.models()) {
      md.append("| ")
          .append(m.getVersion())
          .append(" | ")
          .append(m.getKind())
          .append(" | ")
          .append(m.getStatus())
          .append(" | ")
          .append(m.getStatusReason().replace("|", "/"))
          .append(" | ")
          .append(m.getTrainingSize())
          .append(" | `")
          .append(shortVersion(m.getPromptVersion()))
          .append("` | ")
          .append(number(m.getMetrics().get("macro_f1")))
          .append(" | ")
          .append(metrics(m.getMetrics()))
          .append(" | ")
          .append(m.getCreatedAt())
          .append(" |\n");
    }
    return md.toString();
  }

  private static void teacher(StringBuilder md, String version, QualityReport r) {
    md.append("### Prompt version `").append(version).append("`\n\n");
    md.append("| measure | value | 95 % interval |\n|---|---|---|\n");
    md.append("| reviewed (with a label) | ").append(r.getReviewed()).append(" | |\n");
    md.append("| agreed | ").append(r.getAgreed()).append(" | |\n");
    md.append("| accuracy | ")
        .append(number(r.getAccuracy()))
        .append(" | ")
        .append(interval(r.getAccuracyInterval()))
        .append(" |\n");
    md.append("| macro-F1 | ")
        .append(number(r.getMacroF1()))
        .append(" | ")
        .append(interval(r.getMacroF1Interval()))
        .append(" |\n");
    md.append("| Cohen's kappa | ")
        .append(number(r.getKappa()))
        .append(" | ")
        .append(interval(r.getKappaInterval()))
        .append(" |\n");
    md.append("| items two people reviewed | ").append(r.getHumanPairs()).append(" | |\n");
    md.append("| their agreement | ").append(number(r.getHumanAgreement())).append(" | |\n\n");
    md.append("Intervals: percentile bootstrap, ")
        .append(r.getBootstrapResamples())
        .append(" resamples, seed ")
        .append(r.getBootstrapSeed())
        .append(" (with the matrix below they reproduce exactly). Gate: **")
        .append(r.getGate())
        .append("**: ")
        .append(r.getGateReason())
        .append(". Measured ")
        .append(r.getGeneratedAt())
        .append(".\n\n");
    var labels = new TreeSet<String>(r.getConfusion().keySet());
    r.getConfusion().values().forEach(row -> labels.addAll(row.keySet()));
    md.append("| people \\ teacher |");
    labels.forEach(l -> md.append(' ').append(l).append(" |"));
    md.append("\n|---|");
    labels.forEach(l -> md.append("---|"));
    md.append('\n');
    for (var human : labels) {
      md.append("| ").append(human).append(" |");
      var row = r.getConfusion().getOrDefault(human, Map.of());
      labels.forEach(t -> md.append(' ').append(row.getOrDefault(t, 0L)).append(" |"));
      md.append('\n');
    }
    md.append("\n| label | people gave it | teacher gave it | both | precision | recall | F1 |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    new TreeMap<>(r.getPerClass())
        .forEach(
            (label, c) ->
                md.append("| ")
                    .append(label)
                    .append(" | ")
                    .append(c.getSupport())
                    .append(" | ")
                    .append(c.getPredicted())
                    .append(" | ")
                    .append(c.getAgreed())
                    .append(" | ")
                    .append(number(c.getPrecision()))
                    .append(" | ")
                    .append(number(c.getRecall()))
                    .append(" | ")
                    .append(number(c.getF1()))
                    .append(" |\n"));
    md.append('\n');
  }

  static String number(Double value) {
    return value == null ? "—" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String interval(ConfidenceInterval i) {
    return i == null ? "—" : "[" + number(i.getLower()) + ", " + number(i.getUpper()) + "]";
  }

  private static String metrics(Map<String, Double> metrics) {
    var out = new StringBuilder();
    new TreeMap<>(metrics)
        .forEach(
            (k, v) ->
                out.append(out.length() == 0 ? "" : ", ").append(k).append(' ').append(number(v)));
    return out.toString();
  }

  private static String shortVersion(String version) {
    return version.length() > 12 ? version.substring(0, 12) : version;
  }
}
