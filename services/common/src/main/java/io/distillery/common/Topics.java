package io.distillery.common;

import io.distillery.schema.LabeledText;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.QualityReport;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.ScoredText;
import io.distillery.schema.TextEvent;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The registry of Distillery's topics (DESIGN.md, "Topics"), built once from the prefix and the
 * serdes. Immutable; tests use the same instance type with their own prefix.
 *
 * @param prefix the topic prefix, {@code distillery} by default
 * @param raw texts as ingested
 * @param forTeacher texts the classifier routes to the teacher (active learning)
 * @param labeled teacher labels
 * @param reviewRequests texts sampled for blind human review
 * @param reviewVerdicts human answers
 * @param qualityReports the teacher measured against people
 * @param models trained students (compacted)
 * @param scored the student's labels
 * @param dlq dead letters: original key and bytes, with reason and source headers
 * @param teacherCache teacher answers by cache key (compacted; JSON values, read only by the
 *     labeler), so a restart, a replay or a duplicate text never pays twice
 */
public record Topics(
    String prefix,
    Topic<String, TextEvent> raw,
    Topic<String, TextEvent> forTeacher,
    Topic<String, LabeledText> labeled,
    Topic<String, ReviewRequest> reviewRequests,
    Topic<String, ReviewVerdict> reviewVerdicts,
    Topic<String, QualityReport> qualityReports,
    Topic<String, ModelVersion> models,
    Topic<String, ScoredText> scored,
    Topic<byte[], byte[]> dlq,
    Topic<String, byte[]> teacherCache) {

  /**
   * Makes the value serde of a generated Avro class: the registry-backed one in production, a plain
   * one in tests.
   */
  @FunctionalInterface
  public interface ValueSerdes {
    <T extends SpecificRecord> Serde<T> forValue(Class<T> type);
  }

  /**
   * The Avro schema of every topic's values, by topic name: the contracts a third-party producer or
   * consumer fetches from the registry under {@code <topic>-value}. The dead-letter topic (original
   * bytes) and the teacher cache (the labeler's own JSON) have none.
   */
  public java.util.Map<String, org.apache.avro.Schema> valueSchemas() {
    var out = new java.util.LinkedHashMap<String, org.apache.avro.Schema>();
    out.put(raw.name(), TextEvent.getClassSchema());
    out.put(forTeacher.name(), TextEvent.getClassSchema());
    out.put(labeled.name(), LabeledText.getClassSchema());
    out.put(reviewRequests.name(), ReviewRequest.getClassSchema());
    out.put(reviewVerdicts.name(), ReviewVerdict.getClassSchema());
    out.put(qualityReports.name(), QualityReport.getClassSchema());
    out.put(models.name(), ModelVersion.getClassSchema());
    out.put(scored.name(), ScoredText.getClassSchema());
    return out;
  }

  /** Builds the registry for a prefix, with value serdes from {@code serdes}. */
  public static Topics create(String prefix, ValueSerdes serdes) {
    var key = Serdes.String();
    return new Topics(
        prefix,
        new Topic<>(prefix + ".texts.raw", key, serdes.forValue(TextEvent.class)),
        new Topic<>(prefix + ".texts.for-teacher", key, serdes.forValue(TextEvent.class)),
        new Topic<>(prefix + ".texts.labeled", key, serdes.forValue(LabeledText.class)),
        new Topic<>(prefix + ".review.requests", key, serdes.forValue(ReviewRequest.class)),
        new Topic<>(prefix + ".review.verdicts", key, serdes.forValue(ReviewVerdict.class)),
        new Topic<>(prefix + ".quality.reports", key, serdes.forValue(QualityReport.class)),
        new Topic<>(prefix + ".models", key, serdes.forValue(ModelVersion.class)),
        new Topic<>(prefix + ".texts.scored", key, serdes.forValue(ScoredText.class)),
        new Topic<>(prefix + ".dlq", Serdes.ByteArray(), Serdes.ByteArray()),
        new Topic<>(prefix + ".teacher.cache", key, Serdes.ByteArray()));
  }

  /**
   * Every topic with its layout: the models topic is compacted with one partition, so versions stay
   * ordered.
   */
  /**
   * The per-label topic of scored texts with {@code label}: {@code <scored>.<label>}, characters
   * Kafka does not allow in topic names replaced by {@code _}.
   */
  public String scoredWith(String label) {
    return scored.name() + "." + label.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /**
   * The per-label topics of {@code labels}, to create up front.
   *
   * @throws IllegalArgumentException when two labels would share a topic
   */
  public List<NewTopic> perLabelTopics(
      List<String> labels, int partitions, short replicationFactor) {
    var byName = new java.util.LinkedHashMap<String, String>();
    for (var label : labels) {
      var previous = byName.put(scoredWith(label), label);
      if (previous != null) {
        throw new IllegalArgumentException(
            "labels '"
                + previous
                + "' and '"
                + label
                + "' would share the topic "
                + scoredWith(label));
      }
    }
    return byName.keySet().stream()
        .map(name -> new NewTopic(name, partitions, replicationFactor))
        .toList();
  }

  public List<NewTopic> newTopics(int partitions, short replicationFactor) {
    var compacted =
        java.util.Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    var models = new NewTopic(models().name(), 1, replicationFactor).configs(compacted);
    return List.of(
        new NewTopic(raw.name(), partitions, replicationFactor),
        new NewTopic(forTeacher.name(), partitions, replicationFactor),
        new NewTopic(labeled.name(), partitions, replicationFactor),
        new NewTopic(reviewRequests.name(), partitions, replicationFactor),
        new NewTopic(reviewVerdicts.name(), partitions, replicationFactor),
        new NewTopic(qualityReports.name(), partitions, replicationFactor),
        models,
        new NewTopic(scored.name(), partitions, replicationFactor),
        new NewTopic(dlq.name(), partitions, replicationFactor),
        new NewTopic(teacherCache.name(), partitions, replicationFactor).configs(compacted));
  }
}
