package io.distillery.labeler;

import io.distillery.schema.TeacherIdentity;
import io.distillery.schema.TextEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Labels texts under the codebook. Implementations are thread-safe: the labeler calls {@link
 * #label} from several threads at once, each with a small batch.
 */
public interface Teacher extends AutoCloseable {

  /** Who this teacher is, stamped on every label it gives. */
  TeacherIdentity identity();

  /**
   * Labels {@code events}: exactly one outcome per event, in the same order. A {@link Failed}
   * outcome dead-letters that text with its reason; a label is always one of the codebook's.
   *
   * @throws TeacherUnavailableException when the teacher cannot work now (budget reached, circuit
   *     open, retries exhausted on a transient fault): the whole batch is retried later, nothing is
   *     dead-lettered
   */
  List<Outcome> label(List<TextEvent> events);

  /**
   * Whether answers cost money, so the labeler caches them durably. Offline teachers recompute for
   * free and are not cached.
   */
  default boolean paid() {
    return false;
  }

  /** Releases clients and engines. */
  @Override
  default void close() {}

  /** What became of one text. */
  sealed interface Outcome permits Labeled, Failed {}

  /**
   * @param label the label
   */
  record Labeled(TeacherLabel label) implements Outcome {}

  /**
   * @param reason why no usable label could be had; the dead-letter reason
   */
  record Failed(String reason) implements Outcome {}

  /**
   * One label with what it cost and how sure the teacher was.
   *
   * @param label one of the codebook's labels
   * @param confidence confidence in [0, 1] from token log-probabilities or a similarity softmax, or
   *     null
   * @param consistency share of self-consistency samples agreeing with the label, or null
   * @param costUsd what the label cost
   * @param promptTokens prompt tokens spent on it (its share of a batched call)
   * @param completionTokens completion tokens spent on it
   */
  record TeacherLabel(
      String label,
      Double confidence,
      Double consistency,
      double costUsd,
      long promptTokens,
      long completionTokens) {

    /** The same answer, costing nothing: it was paid for once already. */
    public TeacherLabel alreadyPaid() {
      return new TeacherLabel(label, confidence, consistency, 0.0, 0, 0);
    }

    /** A label that cost nothing and carries no confidence (replayed, for instance). */
    public static TeacherLabel free(String label) {
      return new TeacherLabel(label, null, null, 0.0, 0, 0);
    }
  }

  /** The teacher cannot label now; the batch waits and is tried again. */
  final class TeacherUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How long the server asked to wait, in milliseconds; -1 when it did not say. */
    private final long retryAfterMillis;

    public TeacherUnavailableException(String message) {
      this(message, null, null);
    }

    public TeacherUnavailableException(String message, Throwable cause) {
      this(message, cause, null);
    }

    /** With the wait the server asked for (a long {@code Retry-After}, say). */
    public TeacherUnavailableException(String message, Throwable cause, Duration retryAfter) {
      super(message, cause);
      this.retryAfterMillis = retryAfter == null ? -1 : retryAfter.toMillis();
    }

    /** How long the server asked to wait, if it said. */
    public Optional<Duration> retryAfter() {
      return retryAfterMillis < 0
          ? Optional.empty()
          : Optional.of(Duration.ofMillis(retryAfterMillis));
    }
  }
}
