package io.distillery.common;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The four roles, by the names {@code distillery.roles}, logs, health checks and dead letters use:
 * the one list of them.
 */
public enum RoleName {
  LABELER,
  AUDITOR,
  TRAINER,
  CLASSIFIER;

  /** The role's name as configured and shown: {@code labeler}, {@code auditor}, … */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every role's {@link #id()}, in pipeline order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(RoleName::id).toList();
  }

  /** The role whose {@link #id()} is {@code id} (case and surrounding blanks ignored). */
  public static Optional<RoleName> of(String id) {
    var wanted = id.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(r -> r.id().equals(wanted)).findFirst();
  }
}
