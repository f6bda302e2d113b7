package io.distillery.trainer;

/**
 * A person's promotion or rollback that the model records do not allow (an unknown version, the
 * champion promoted again, a rollback with nothing before it): the request's fault, not the
 * trainer's; nothing was published.
 */
public final class DecisionRefused extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  DecisionRefused(String message) {
    super(message);
  }
}
