package io.distillery.common;

/**
 * One of the four roles, as the application runs it: started once, closed once, asked for its
 * health at any time. Implementations are plain Java, testable without Quarkus.
 */
public interface Role extends AutoCloseable {

  /** The role's name: labeler, auditor, trainer or classifier. */
  String name();

  /**
   * Starts the role's consumers or Streams; returns once they are started, not once they are ready.
   */
  void start();

  /** Whether the role is processing, and a short detail for the health endpoint. */
  Health health();

  /**
   * Whether the role has stopped for good (a fatal error) and the process should be restarted: the
   * liveness check reports it.
   */
  default boolean failed() {
    return false;
  }

  /** Stops the role, committing what it finished. */
  @Override
  void close();

  /**
   * @param ready true when the role's consumers or Streams are running
   * @param detail a short state description
   */
  record Health(boolean ready, String detail) {}
}
