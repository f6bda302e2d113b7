package io.distillery.common;

import io.distillery.schema.TextEvent;

/** How the auditor's drift probe marks the texts it sends again to the teacher. */
public final class Probes {

  /** Metadata field of a probe text: the run it belongs to (an ISO instant). */
  public static final String RUN_METADATA = "distillery.probe.run";

  /** Source of a probe text. */
  public static final String SOURCE = "distillery.probe";

  private Probes() {}

  /** Whether {@code event} was sent by a drift probe run, so the teacher must answer afresh. */
  public static boolean isProbe(TextEvent event) {
    return event.getMetadata() != null && event.getMetadata().containsKey(RUN_METADATA);
  }
}
