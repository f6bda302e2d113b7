/**
 * The classifier role: a Kafka Streams application that scores the live stream of raw texts with
 * the newest promoted student and writes {@code ScoredText} records, flagging the uncertain ones
 * for the teacher.
 *
 * <p>{@link io.distillery.classifier.ClassifierTopology} is the pure topology (tested with {@code
 * TopologyTestDriver}); {@link io.distillery.classifier.ModelHolder} holds the current model and
 * swaps it atomically; {@link io.distillery.classifier.ModelFollower} reads the models topic and
 * feeds the holder; {@link io.distillery.classifier.Classifier} assembles them as a {@link
 * io.distillery.common.Role}. Nothing here needs Quarkus: the application only constructs a {@code
 * Classifier} from configuration.
 *
 * <p>Guarantees: every raw record ends up exactly once either on the scored topic or on the
 * dead-letter topic, with its reason and source headers; texts that arrive before any model exists
 * are held, not dropped, and scored in order once a model is promoted; each scored text names the
 * model version that scored it.
 */
package io.distillery.classifier;
