package io.distillery.classifier;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the classifier role. Each member has an environment-variable form, e.g. {@code
 * DISTILLERY_CLASSIFIER_UNCERTAIN_THRESHOLD}.
 */
@ConfigMapping(prefix = "distillery.classifier")
public interface ClassifierConfig {

  /**
   * A scored text is flagged {@code uncertain} when the student's top probability is below this
   * value; uncertain texts are the ones worth a teacher's label.
   */
  @WithDefault("0.6")
  double uncertainThreshold();

  /**
   * A scored text is also flagged {@code uncertain} when its top two probabilities are closer than
   * this; 0 turns the margin test off.
   */
  @WithDefault("0")
  double uncertainMargin();

  /**
   * Active learning: once a model exists, the texts sent to the teacher are the uncertain ones and
   * this share of the rest, chosen by id hash (a random slice keeps the auditor's and the trainer's
   * view of the stream unbiased). While no model exists, every text goes to the teacher.
   */
  @WithDefault("0.1")
  double teacherSampleRate();

  /**
   * Also write each scored text to {@code <prefix>.texts.scored.<label>}, one topic per codebook
   * label, created up front, for subscribers that want one label only.
   */
  @WithDefault("false")
  boolean perLabelTopics();

  /**
   * The Kafka Streams application id: the consumer group and the prefix of the internal topics.
   * Changing it starts the classifier over from the beginning of the raw topic.
   */
  @WithDefault("distillery-classifier")
  String applicationId();

  /**
   * How often a stream task checks, on wall-clock time, whether a model has appeared for the texts
   * it holds back while none exists, so they are scored even when no new text arrives.
   */
  @WithDefault("PT0.5S")
  Duration pendingFlushInterval();

  /**
   * Kafka Streams threads scoring in this process, each taking its share of the raw topic's
   * partitions (more threads than partitions idle). Scoring is CPU-bound: up to one per core.
   */
  @WithDefault("1")
  int streamThreads();

  /** Texts longer than this (in UTF-16 chars) are dead-lettered instead of scored. */
  @WithDefault("100000")
  int maxTextChars();
}
