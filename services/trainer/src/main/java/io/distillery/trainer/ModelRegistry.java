package io.distillery.trainer;

import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The model versions of one task as the trainer knows them, and the decisions about them: which one
 * is the champion, whether a challenger replaces it, promotion and rollback by people. Pure and
 * single-threaded (the trainer serialises calls); it returns the records to publish and learns them
 * back through {@link #record}.
 *
 * <p>The models topic is compacted by model name: only the newest record per name survives. So
 * every decision's records end with the champion's: a rejected challenger is followed by the
 * champion restated, a rollback by the version rolled back to. After compaction a restarted
 * classifier still finds the champion.
 */
final class ModelRegistry {

  private final TreeMap<Long, ModelVersion> versions = new TreeMap<>();
  private final List<Long> promotions = new ArrayList<>();
  private ModelVersion champion;

  /** Takes a record read from the topic or just published. */
  void record(ModelVersion version) {
    versions.put(version.getVersion(), version);
    if (version.getStatus() == ModelStatus.PROMOTED) {
      champion = version;
      promotions.remove(Long.valueOf(version.getVersion()));
      promotions.add(version.getVersion());
    } else if (champion != null && champion.getVersion() == version.getVersion()) {
      champion = null;
    }
  }

  /** The model the classifier scores with, if any. */
  Optional<ModelVersion> champion() {
    return Optional.ofNullable(champion);
  }

  /** The newest record of every version known, oldest version first. */
  List<ModelVersion> versions() {
    return List.copyOf(versions.values());
  }

  /** The newest version number known, 0 before any. */
  long lastVersion() {
    return versions.isEmpty() ? 0 : versions.lastKey();
  }

  /** The record of {@code version}, if known. */
  Optional<ModelVersion> version(long version) {
    return Optional.ofNullable(versions.get(version));
  }

  /**
   * Decides a freshly trained challenger against the champion, both measured on the same human set:
   * PROMOTED unless its macro-F1 is worse than the champion's by more than {@code tolerance}.
   * Without a champion, or without a human set to compare on, the challenger is promoted and the
   * reason says why.
   *
   * @param challenger the challenger, status not yet decided
   * @param challengerF1 its macro-F1 on the human set; null when there is none
   * @param championF1 the champion's macro-F1 on the same set; null when there is no champion or no
   *     human set
   * @param noComparison why the two could not be compared, when they could not
   * @return the records to publish, the champion's last
   */
  List<ModelVersion> decide(
      ModelVersion challenger,
      Double challengerF1,
      Double championF1,
      double tolerance,
      String noComparison) {
    var out = new ArrayList<ModelVersion>();
    if (champion == null) {
      out.add(with(challenger, ModelStatus.PROMOTED, "first model"));
      return out;
    }
    if (challengerF1 == null || championF1 == null) {
      out.add(
          with(
              challenger,
              ModelStatus.PROMOTED,
              "newer than v" + champion.getVersion() + ", not compared: " + noComparison));
      out.add(retired(champion, "replaced by v" + challenger.getVersion()));
      return reorder(out);
    }
    if (challengerF1 < championF1 - tolerance) {
      var reason =
          String.format(
              java.util.Locale.ROOT,
              "macro-F1 %.4f on %s is worse than champion v%d's %.4f by more than %.4f",
              challengerF1,
              "the human set",
              champion.getVersion(),
              championF1,
              tolerance);
      out.add(with(challenger, ModelStatus.REJECTED, reason));
      out.add(
          with(
              champion,
              ModelStatus.PROMOTED,
              "champion stays: v" + challenger.getVersion() + " rejected"));
      return out;
    }
    var reason =
        String.format(
            java.util.Locale.ROOT,
            "macro-F1 %.4f against champion v%d's %.4f on the same human set (tolerance %.4f)",
            challengerF1,
            champion.getVersion(),
            championF1,
            tolerance);
    out.add(with(challenger, ModelStatus.PROMOTED, reason));
    out.add(retired(champion, "replaced by v" + challenger.getVersion()));
    return reorder(out);
  }

  /**
   * A person promotes {@code version}: it becomes the champion, the champion before it is retired.
   *
   * @throws DecisionRefused when the version is unknown or already the champion
   */
  List<ModelVersion> promote(long version, String who) {
    var target = versions.get(version);
    if (target == null) {
      throw new DecisionRefused("no version " + version + " is known");
    }
    if (champion != null && champion.getVersion() == version) {
      throw new DecisionRefused("v" + version + " is the champion already");
    }
    var out = new ArrayList<ModelVersion>();
    if (champion != null) {
      out.add(retired(champion, "v" + version + " promoted by " + who));
    }
    out.add(with(target, ModelStatus.PROMOTED, "promoted by " + who));
    return out;
  }

  /**
   * A person rolls back {@code version}, the champion: it is retired and the version promoted
   * before it becomes the champion again.
   *
   * @throws DecisionRefused when {@code version} is not the champion or no version was promoted
   *     before it
   */
  List<ModelVersion> rollback(long version, String who) {
    if (champion == null || champion.getVersion() != version) {
      throw new DecisionRefused(
          "v"
              + version
              + " is not the champion"
              + (champion == null ? " (there is none)" : " (v" + champion.getVersion() + " is)"));
    }
    Long previous = null;
    for (int i = promotions.size() - 1; i >= 0; i--) {
      long v = promotions.get(i);
      if (v != version && versions.containsKey(v)) {
        previous = v;
        break;
      }
    }
    if (previous == null) {
      throw new DecisionRefused(
          "no version was promoted before v" + version + " (or its record was compacted away)");
    }
    return List.of(
        retired(champion, "rolled back by " + who),
        with(
            versions.get(previous),
            ModelStatus.PROMOTED,
            "rollback of v" + version + " by " + who));
  }

  private static List<ModelVersion> reorder(List<ModelVersion> records) {
    // The champion's record goes last, so that compaction keeps it.
    var out = new ArrayList<ModelVersion>();
    records.stream().filter(r -> r.getStatus() != ModelStatus.PROMOTED).forEach(out::add);
    records.stream().filter(r -> r.getStatus() == ModelStatus.PROMOTED).forEach(out::add);
    return out;
  }

  private static ModelVersion retired(ModelVersion version, String reason) {
    return with(version, ModelStatus.RETIRED, reason);
  }

  private static ModelVersion with(ModelVersion version, ModelStatus status, String reason) {
    return ModelVersion.newBuilder(version).setStatus(status).setStatusReason(reason).build();
  }
}
