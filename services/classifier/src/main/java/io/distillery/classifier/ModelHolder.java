package io.distillery.classifier;

import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.students.ModelStore;
import io.distillery.students.Student;
import io.distillery.students.StudentKinds;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The student the classifier scores with, for one model name: the champion, whichever version the
 * trainer (or a person, by promotion or rollback) promoted last. A promoted version replaces the
 * current one only once it is fully loaded and every SHA-256 checked: the swap is a single
 * reference write, so every record is scored by one complete model, and a version that fails to
 * load leaves the current one in place.
 *
 * <p>Thread-safe: stream threads read {@link #current()} while the model follower calls {@link
 * #offer}.
 */
public final class ModelHolder {

  private static final Logger LOG = Logger.getLogger(ModelHolder.class);

  /**
   * A model ready to score.
   *
   * @param name the model name (the codebook task)
   * @param version its version, increasing per name
   * @param student the loaded student
   */
  public record LoadedModel(String name, long version, Student student) {
    public LoadedModel {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(student, "student");
    }
  }

  /** How long a replaced student stays open for records already being scored with it. */
  static final java.time.Duration RETIRE_AFTER = java.time.Duration.ofSeconds(30);

  private final String modelName;
  private final StudentKinds kinds;
  private final AtomicReference<LoadedModel> current = new AtomicReference<>();

  /**
   * @param modelName the only model name this holder accepts: the codebook's task
   */
  public ModelHolder(String modelName) {
    this(modelName, StudentKinds.builtIn());
  }

  /**
   * @param modelName the only model name this holder accepts: the codebook's task
   * @param kinds the student kinds it can load
   */
  public ModelHolder(String modelName, StudentKinds kinds) {
    this.modelName = Objects.requireNonNull(modelName, "modelName");
    this.kinds = Objects.requireNonNull(kinds, "kinds");
  }

  /** The model name this holder follows. */
  public String modelName() {
    return modelName;
  }

  /** The model in use, if one was loaded. */
  public Optional<LoadedModel> current() {
    return Optional.ofNullable(current.get());
  }

  /**
   * Loads {@code version} and makes it current when it is promoted, is for this holder's model
   * name, and is not the current model already: an older version promoted again (a rollback)
   * replaces a newer one. Anything else is ignored; a version that cannot be loaded (missing file,
   * wrong hash, not an artifact) is logged and skipped.
   *
   * @return whether {@code version} became the current model
   */
  public synchronized boolean offer(ModelVersion version) {
    if (!modelName.equals(version.getName()) || version.getStatus() != ModelStatus.PROMOTED) {
      return false;
    }
    var now = current.get();
    if (now != null && version.getVersion() == now.version()) {
      return false;
    }
    try {
      var student =
          ModelStore.load(
              artifactPath(version.getArtifactUri()), version.getArtifactSha256(), kinds);
      var replaced =
          current.getAndSet(new LoadedModel(version.getName(), version.getVersion(), student));
      if (replaced != null) {
        retire(replaced);
      }
      LOG.infof(
          "classifier: scoring with %s v%d (%s, labels %s)",
          version.getName(), Long.valueOf(version.getVersion()), student.kind(), student.labels());
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.errorf(
          "classifier: cannot load %s v%d from %s, keeping %s: %s",
          version.getName(),
          Long.valueOf(version.getVersion()),
          version.getArtifactUri(),
          now == null ? "no model" : "v" + now.version(),
          e.toString());
      return false;
    }
  }

  /**
   * Closes a replaced student after {@link #RETIRE_AFTER}: a stream thread that read the reference
   * just before the swap may still be scoring one record with it.
   */
  private void retire(LoadedModel replaced) {
    var closer =
        new Thread(
            () -> {
              try {
                Thread.sleep(RETIRE_AFTER.toMillis());
                replaced.student().close();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                LOG.warnf(
                    "classifier: closing v%d failed: %s", Long.valueOf(replaced.version()), e);
              }
            },
            "retire-" + replaced.name() + "-v" + replaced.version());
    closer.setDaemon(true);
    closer.start();
  }

  /** The local path of a {@code file:} artifact URI. */
  static Path artifactPath(String uri) {
    var parsed = URI.create(uri);
    if (!"file".equalsIgnoreCase(parsed.getScheme())) {
      throw new IllegalArgumentException("unsupported artifact URI (only file: is): " + uri);
    }
    return Path.of(parsed);
  }
}
