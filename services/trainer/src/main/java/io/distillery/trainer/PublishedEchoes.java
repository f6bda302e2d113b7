package io.distillery.trainer;

import io.distillery.schema.ModelVersion;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Model records this trainer published and applied at once, awaiting their echo from the models
 * topic: an echo is skipped, so the registry sees every record once and in publication order. A
 * record is known by its version, status and reason (the champion is re-published with a new reason
 * after each rejected challenger). Not thread-safe: the trainer holds its registry's lock.
 */
final class PublishedEchoes {

  private final Deque<String> pending = new ArrayDeque<>();

  /** Remembers {@code model}, just published. */
  void published(ModelVersion model) {
    pending.addLast(identity(model));
  }

  /**
   * Whether {@code model}, read from the topic, is the echo of the oldest record published and not
   * yet read back; that record is then forgotten.
   */
  boolean isEcho(ModelVersion model) {
    if (!pending.isEmpty() && pending.peekFirst().equals(identity(model))) {
      pending.removeFirst();
      return true;
    }
    return false;
  }

  private static String identity(ModelVersion model) {
    return model.getVersion() + "|" + model.getStatus() + "|" + model.getStatusReason();
  }
}
