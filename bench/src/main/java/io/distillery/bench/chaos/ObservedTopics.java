package io.distillery.bench.chaos;

import io.distillery.common.DeadLetters;
import io.distillery.common.Topics;
import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.QualityReport;
import java.util.HashSet;

/** What the topics of a chaos run hold, read from their start, for {@link ChaosLedger#settle}. */
final class ObservedTopics {

  private ObservedTopics() {}

  /**
   * @param classifierVersion the model version the classifier says it scores with, or null
   */
  static ChaosLedger.Observed read(Topics topics, String bootstrap, Long classifierVersion) {
    var letters =
        TopicSnapshot.read(bootstrap, topics.dlq().name()).stream()
            .map(
                r ->
                    new ChaosLedger.DeadLetter(
                        TopicSnapshot.text(r.key()),
                        TopicSnapshot.header(r.headers(), DeadLetters.SOURCE_TOPIC),
                        TopicSnapshot.header(r.headers(), DeadLetters.REASON)))
            .toList();
    var reportReader = topics.qualityReports().valueSerde().deserializer();
    Long reviewed = null;
    for (var record : TopicSnapshot.read(bootstrap, topics.qualityReports().name())) {
      QualityReport report =
          reportReader.deserialize(topics.qualityReports().name(), record.value());
      if (report != null) {
        reviewed = report.getReviewed();
      }
    }
    var modelReader = topics.models().valueSerde().deserializer();
    Long champion = null;
    int repeated = 0;
    var seen = new HashSet<String>();
    for (var record : TopicSnapshot.read(bootstrap, topics.models().name())) {
      ModelVersion model = modelReader.deserialize(topics.models().name(), record.value());
      if (model == null) {
        continue;
      }
      // The trainer re-publishes its champion after each rejected challenger ("champion stays"),
      // with a new reason each time; a record that repeats version, status and reason is a
      // publication done twice.
      if (!seen.add(model.getVersion() + "|" + model.getStatus() + "|" + model.getStatusReason())) {
        repeated++;
      }
      if (model.getStatus() == ModelStatus.PROMOTED) {
        champion = model.getVersion();
      }
    }
    return new ChaosLedger.Observed(
        TopicSnapshot.keys(TopicSnapshot.read(bootstrap, topics.scored().name())),
        TopicSnapshot.keys(TopicSnapshot.read(bootstrap, topics.forTeacher().name())),
        TopicSnapshot.keys(TopicSnapshot.read(bootstrap, topics.labeled().name())),
        letters,
        reviewed,
        champion,
        repeated,
        classifierVersion);
  }
}
