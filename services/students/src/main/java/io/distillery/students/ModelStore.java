package io.distillery.students;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where trained students are kept: one directory per model version, {@code
 * <root>/<task>/v<version>-<millis>/}, holding the kind's files and {@code manifest.json} (format,
 * kind, labels, settings, and the SHA-256 of every other file). The model version carries the
 * SHA-256 of the manifest, so that one hash vouches for every byte a classifier loads. A local
 * directory by default; in a cluster, any volume every trainer and classifier mounts at the same
 * path.
 */
public final class ModelStore {

  /** The manifest's file name. */
  public static final String MANIFEST = "manifest.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FORMAT = 2;

  /**
   * What {@code manifest.json} says.
   *
   * @param format the artifact format, 2
   * @param kind the student kind
   * @param labels the label set, in output order
   * @param settings the kind's settings
   * @param files file name to its hex SHA-256, every file of the directory but the manifest
   * @param correction for a {@link CorrectedStudent}: person's label to the teacher's label to the
   *     reviewed texts counted ({@link TeacherCorrection}); absent (null) for the others
   */
  public record Manifest(
      int format,
      String kind,
      List<String> labels,
      Map<String, String> settings,
      Map<String, String> files,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Map<String, Long>> correction) {}

  /**
   * A saved student.
   *
   * @param uri the directory, as a {@code file:} URI
   * @param sha256 hex SHA-256 of its manifest
   * @param manifest the manifest
   */
  public record Stored(URI uri, String sha256, Manifest manifest) {}

  private final Path root;

  public ModelStore(Path root) {
    this.root = root;
  }

  /**
   * Saves {@code student} as version {@code version} of {@code task}: written to a hidden temporary
   * directory, then renamed into place, so a reader never sees half an artifact. Every attempt gets
   * its own directory (the time is in its name): a retried version never overwrites an artifact
   * already published with its hash. A {@link CorrectedStudent} is saved as the student underneath,
   * by {@code kind}, with the correction's counts in the manifest.
   */
  public Stored save(String task, long version, StudentKind kind, Student student, long millis)
      throws IOException {
    Map<String, Map<String, Long>> correction = null;
    if (student instanceof CorrectedStudent corrected) {
      correction = corrected.correction().counts();
      student = corrected.uncorrected();
    }
    var parent = root.resolve(task).toAbsolutePath();
    Files.createDirectories(parent);
    var name = "v" + version + "-" + millis;
    var work = Files.createTempDirectory(parent, "." + name + "-");
    try {
      var settings = kind.save(student, work);
      var files = new TreeMap<String, String>();
      try (var paths = Files.list(work)) {
        for (var file : paths.sorted().toList()) {
          if (!Files.isRegularFile(file)) {
            throw new IOException(kind.name() + " saved something that is not a file: " + file);
          }
          files.put(file.getFileName().toString(), sha256(file));
        }
      }
      var manifest =
          new Manifest(
              FORMAT, kind.name(), student.labels(), new TreeMap<>(settings), files, correction);
      JSON.writerWithDefaultPrettyPrinter().writeValue(work.resolve(MANIFEST).toFile(), manifest);
      var sha = sha256(work.resolve(MANIFEST));
      var target = parent.resolve(name);
      Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      return new Stored(target.toUri(), sha, manifest);
    } catch (IOException | RuntimeException e) {
      deleteTree(work);
      throw e;
    }
  }

  /**
   * Loads the student in {@code dir} after checking the manifest against {@code expectedSha256} and
   * every file against the manifest; a manifest with a correction gives a {@link CorrectedStudent}.
   *
   * @param kinds finds the kind the manifest names
   * @throws IOException when a file is missing or unreadable, a hash differs, or the manifest names
   *     an unknown kind or format
   */
  public static Student load(Path dir, String expectedSha256, StudentKinds kinds)
      throws IOException {
    var manifestFile = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IOException("no " + MANIFEST + " in " + dir + ": not a Distillery model");
    }
    var actual = sha256(manifestFile);
    if (!actual.equalsIgnoreCase(expectedSha256)) {
      throw new IOException(
          "the manifest of " + dir + " has sha256 " + actual + ", expected " + expectedSha256);
    }
    var manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
    if (manifest.format() != FORMAT) {
      throw new IOException("unsupported artifact format " + manifest.format() + " in " + dir);
    }
    for (var file : manifest.files().entrySet()) {
      var path = dir.resolve(file.getKey()).normalize();
      if (!path.getParent().equals(dir.normalize())) {
        throw new IOException(
            "the manifest of " + dir + " names a file outside it: " + file.getKey());
      }
      if (!Files.isRegularFile(path)) {
        throw new IOException("missing " + file.getKey() + " in " + dir);
      }
      var sha = sha256(path);
      if (!sha.equalsIgnoreCase(file.getValue())) {
        throw new IOException(
            file.getKey() + " in " + dir + " has sha256 " + sha + ", expected " + file.getValue());
      }
    }
    var student = kinds.forName(manifest.kind()).load(dir, manifest.labels(), manifest.settings());
    if (!student.labels().equals(manifest.labels())) {
      student.close();
      throw new IOException("the student in " + dir + " does not have the manifest's labels");
    }
    if (manifest.correction() == null) {
      return student;
    }
    try {
      return new CorrectedStudent(
          student, TeacherCorrection.of(manifest.labels(), manifest.correction()));
    } catch (IllegalArgumentException e) {
      student.close();
      throw new IOException(
          "the correction in the manifest of " + dir + " is invalid: " + e.getMessage(), e);
    }
  }

  /** {@link #load(Path, String, StudentKinds)} for a {@code file:} URI. */
  public static Student load(URI uri, String expectedSha256, StudentKinds kinds)
      throws IOException {
    if (!"file".equals(uri.getScheme())) {
      throw new IOException("unsupported artifact URI " + uri + ": only file: URIs are read");
    }
    return load(Path.of(uri), expectedSha256, kinds);
  }

  /** Hex SHA-256 of a file. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (var p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
