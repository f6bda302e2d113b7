package io.distillery.experiment;

import io.distillery.common.Codebook;
import io.distillery.labeler.Teacher;
import io.distillery.labeler.TeacherConfig;
import io.distillery.labeler.TeacherKind;
import io.distillery.labeler.Teachers;
import io.distillery.schema.TextEvent;
import io.distillery.students.LabelledDataset.Row;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks the teacher for a label for every row, in this process, through the labeler's own {@link
 * Teacher}: {@code replay} serves the row's recorded {@code llm_label}, {@code zero-shot} embeds
 * with MiniLM, {@code openai} calls the configured server. A text the teacher cannot label (no
 * recorded label, an answer outside the label set) is left out and counted; a teacher that cannot
 * work at all (no key, server unreachable) stops the run with the reason, after at most the
 * teacher's own retries on the first chunk.
 */
final class TeacherRun {

  /**
   * The labels the teacher gave.
   *
   * @param byId text id to label; ids it could not label are absent
   * @param confidenceById text id to the teacher's confidence in its label, for the labels that
   *     carry one (a stated or recorded confidence, a self-consistency share)
   * @param failed texts it could not label
   * @param failures up to five distinct reasons
   */
  record Labels(
      Map<String, String> byId,
      Map<String, Double> confidenceById,
      int failed,
      List<String> failures) {}

  /** The teacher cannot work: nothing to measure, the command stops. */
  static final class TeacherFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TeacherFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private TeacherRun() {}

  /**
   * The teacher {@code kind} names, under the teacher settings in {@code config}.
   *
   * @throws TeacherFailure for an {@code openai} teacher pointed at OpenAI without a key: failing
   *     now, with what to set, beats a run of unauthorised calls
   */
  static Teacher create(TeacherKind kind, Codebook codebook, TeacherConfig config) {
    if (kind == TeacherKind.OPENAI) {
      boolean hasKey =
          config.apiKey().filter(k -> !k.isBlank()).isPresent()
              || config.apiKeyFile().filter(f -> !f.isBlank()).isPresent();
      if (!hasKey && "api.openai.com".equals(host(config.baseUrl()))) {
        throw new TeacherFailure(
            "the openai teacher needs an API key: set OPENAI_API_KEY (or"
                + " DISTILLERY_TEACHER_API_KEY_FILE), or point OPENAI_BASE_URL at a local"
                + " OpenAI-compatible server; nothing was sent",
            null);
      }
    }
    return Teachers.create(config, codebook);
  }

  /**
   * Labels {@code rows} in chunks of {@code chunk} texts on {@code threads} threads; the first
   * chunk alone first, so an unusable teacher fails fast.
   */
  static Labels label(
      Teacher teacher, List<Row> rows, String source, int chunk, int threads, Progress progress) {
    var chunks = new ArrayList<List<Row>>();
    for (int from = 0; from < rows.size(); from += chunk) {
      chunks.add(rows.subList(from, Math.min(rows.size(), from + chunk)));
    }
    var outcomes = new ArrayList<List<Teacher.Outcome>>();
    var done = new AtomicInteger();
    if (!chunks.isEmpty()) {
      outcomes.add(labelChunk(teacher, chunks.get(0), source, done, rows.size(), progress));
    }
    var pool = Executors.newFixedThreadPool(threads);
    try {
      var futures = new ArrayList<Future<List<Teacher.Outcome>>>();
      for (var c : chunks.subList(Math.min(1, chunks.size()), chunks.size())) {
        futures.add(pool.submit(() -> labelChunk(teacher, c, source, done, rows.size(), progress)));
      }
      for (var future : futures) {
        outcomes.add(future.get());
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TeacherFailure failure) {
        throw failure;
      }
      throw new TeacherFailure("the teacher failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TeacherFailure("interrupted while the teacher was labeling", e);
    } finally {
      pool.shutdownNow();
    }
    var byId = new HashMap<String, String>();
    var confidenceById = new HashMap<String, Double>();
    var failures = new ArrayList<String>();
    int failed = 0;
    for (int c = 0; c < chunks.size(); c++) {
      for (int i = 0; i < chunks.get(c).size(); i++) {
        var outcome = outcomes.get(c).get(i);
        if (outcome instanceof Teacher.Labeled labeled) {
          var id = chunks.get(c).get(i).id();
          byId.put(id, labeled.label().label());
          var confidence = confidence(labeled.label());
          if (confidence != null) {
            confidenceById.put(id, confidence);
          }
        } else if (outcome instanceof Teacher.Failed f) {
          failed++;
          if (failures.size() < 5 && !failures.contains(f.reason())) {
            failures.add(f.reason());
          }
        }
      }
    }
    return new Labels(Map.copyOf(byId), Map.copyOf(confidenceById), failed, List.copyOf(failures));
  }

  /** What the trainer would learn from under soft distillation: self-consistency first. */
  private static Double confidence(Teacher.TeacherLabel label) {
    return label.consistency() != null ? label.consistency() : label.confidence();
  }

  private static List<Teacher.Outcome> labelChunk(
      Teacher teacher,
      List<Row> chunk,
      String source,
      AtomicInteger done,
      int total,
      Progress progress) {
    List<Teacher.Outcome> outcomes;
    try {
      outcomes = teacher.label(chunk.stream().map(r -> event(r, source)).toList());
    } catch (Teacher.TeacherUnavailableException e) {
      throw new TeacherFailure(
          "the "
              + teacher.identity().getKind()
              + " teacher is unavailable: "
              + e.getMessage()
              + "; no result was written",
          e);
    }
    progress.count("teacher labels", done.addAndGet(chunk.size()), total);
    return outcomes;
  }

  /**
   * The row as the labeler would receive it (as {@code ./distillery ingest} writes it): its
   * recorded LLM label and that label's confidence in the metadata.
   */
  static TextEvent event(Row row, String source) {
    var metadata = new HashMap<String, String>();
    if (row.llmLabel() != null) {
      metadata.put("llm_label", row.llmLabel());
    }
    if (row.llmConfidence() != null) {
      metadata.put("llm_confidence", Double.toString(row.llmConfidence()));
    }
    return TextEvent.newBuilder()
        .setId(row.id())
        .setText(row.text())
        .setSource(source)
        .setIngestedAt(Instant.EPOCH)
        .setMetadata(metadata)
        .build();
  }

  private static String host(String url) {
    try {
      return URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
