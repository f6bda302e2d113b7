package io.distillery.classifier;

import io.distillery.common.JsonSerde;
import io.distillery.common.Topics;
import io.distillery.schema.ScoredText;
import io.distillery.schema.TextEvent;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The classifier's Kafka Streams topology: raw texts in, scored texts and dead letters out, nothing
 * dropped.
 *
 * <pre>
 * classifier-raw-source (raw topic, key and value as bytes)
 *   └─ classifier-score [store classifier-pending]
 *        ├─ classifier-scored-sink (scored topic)
 *        ├─ classifier-per-label-sink (scored.&lt;label&gt; topics, when per-label topics are on)
 *        ├─ classifier-for-teacher-sink (texts.for-teacher, original bytes + reason header)
 *        └─ classifier-dlq-sink (dead-letter topic, original bytes + headers)
 * </pre>
 *
 * <p>Active learning: a text goes to the teacher on arrival while no model exists, and once one
 * does, when its score is uncertain or its id hash falls in the teacher sample rate; every other
 * text is labelled by the student alone.
 *
 * <p>Values are read as bytes and decoded inside the processor, so a record that is not a {@link
 * TextEvent} reaches the dead-letter topic with its original bytes and source headers, inside the
 * same transaction as everything else. Keys are read as bytes too, so a dead letter carries the
 * exact key it came with. Texts that arrive while no model exists wait in the persistent {@value
 * #PENDING_STORE} store (its changelog makes them survive a crash) and are scored in source order
 * once a model appears. Every node and the store are named: generated names would shift and
 * silently rename the changelog topic.
 */
public final class ClassifierTopology {

  /** The source node reading the raw topic. */
  public static final String SOURCE = "classifier-raw-source";

  /** The processor that validates and scores. */
  public static final String PROCESSOR = "classifier-score";

  /**
   * The store of texts waiting for a model; its changelog is {@code <application
   * id>-classifier-pending-changelog}.
   */
  public static final String PENDING_STORE = "classifier-pending";

  /** The sink writing scored texts. */
  public static final String SCORED_SINK = "classifier-scored-sink";

  /** The sink writing dead letters. */
  public static final String DLQ_SINK = "classifier-dlq-sink";

  /** The sink sending texts to the teacher (active learning), original bytes. */
  public static final String TEACHER_SINK = "classifier-for-teacher-sink";

  /** The sink writing scored texts to their label's topic, when per-label topics are on. */
  public static final String PER_LABEL_SINK = "classifier-per-label-sink";

  /**
   * Header on a text sent to the teacher: why ({@code no-model}, {@code uncertain}, {@code
   * sample}).
   */
  public static final String TEACHER_REASON_HEADER = "distillery.teacher.reason";

  private ClassifierTopology() {}

  /**
   * Builds the topology.
   *
   * @param topics the topic registry; the scored and dead-letter sinks use its serializers
   * @param config thresholds and intervals
   * @param holder where the current model is read for each record
   * @param textDeserializer reads raw values; a failure dead-letters the record, unless it is
   *     transient (the registry unreachable or timing out), which fails the task so the record is
   *     retried rather than lost
   */
  public static Topology build(
      Topics topics,
      ClassifierConfig config,
      ModelHolder holder,
      Deserializer<TextEvent> textDeserializer) {
    return build(topics, config, holder, textDeserializer, new ClassifierCounters());
  }

  /**
   * As {@link #build(Topics, ClassifierConfig, ModelHolder, Deserializer)}, counting into {@code
   * counters}.
   */
  public static Topology build(
      Topics topics,
      ClassifierConfig config,
      ModelHolder holder,
      Deserializer<TextEvent> textDeserializer,
      ClassifierCounters counters) {
    var pendingStore =
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(PENDING_STORE),
            Serdes.String(),
            JsonSerde.of(PendingRecord.class));
    var topology =
        new Topology()
            .addSource(
                SOURCE,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                topics.raw().name())
            .addProcessor(
                PROCESSOR,
                () ->
                    new ScoringProcessor(
                        config, holder, textDeserializer, topics.dlq().name(), counters),
                SOURCE)
            .addStateStore(pendingStore, PROCESSOR)
            .addSink(
                SCORED_SINK,
                topics.scored().name(),
                topics.scored().keySerde().serializer(),
                topics.scored().valueSerde().serializer(),
                PROCESSOR)
            .addSink(
                TEACHER_SINK,
                topics.forTeacher().name(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                PROCESSOR)
            .addSink(
                DLQ_SINK,
                topics.dlq().name(),
                topics.dlq().keySerde().serializer(),
                topics.dlq().valueSerde().serializer(),
                PROCESSOR);
    if (config.perLabelTopics()) {
      TopicNameExtractor<String, ScoredText> byLabel =
          (id, scored, context) -> topics.scoredWith(scored.getLabel());
      topology.addSink(
          PER_LABEL_SINK,
          byLabel,
          topics.scored().keySerde().serializer(),
          topics.scored().valueSerde().serializer(),
          PROCESSOR);
    }
    return topology;
  }
}
