package io.distillery.students;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The artifact format: one zip file holding {@code student.json} (kind, labels, featurizer
 * settings, format version) and {@code student-0000.params} (DJL's parameter file). One file, so
 * one SHA-256 covers everything a classifier loads.
 */
public final class ModelArtifacts {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "student";
  private static final int FORMAT = 1;

  static {
    DjlEnvironment.offline();
  }

  /** What {@code student.json} says. */
  record Manifest(int format, String kind, List<String> labels, int buckets, boolean bigrams) {}

  private ModelArtifacts() {}

  /** Writes the artifact atomically (temp file, then move) and returns its SHA-256. */
  public static String save(HashedLinearStudent student, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    var work = Files.createTempDirectory("student-save");
    try {
      var block = new SparseLinearBlock(student.featurizer().buckets(), student.labels().size());
      try (Model model = Model.newInstance(NAME, "PyTorch")) {
        model.setBlock(block);
        block.initialize(
            model.getNDManager(),
            ai.djl.ndarray.types.DataType.FLOAT32,
            new Shape(1, 1),
            new Shape(1, 1));
        var params = block.getParameters();
        params.get("weight").getArray().set(student.weights());
        params.get("bias").getArray().set(student.biases());
        model.save(work, NAME);
      }
      var manifest =
          new Manifest(
              FORMAT,
              student.kind(),
              student.labels(),
              student.featurizer().buckets(),
              student.featurizer().bigrams());
      JSON.writeValue(work.resolve(NAME + ".json").toFile(), manifest);
      var tmp =
          Files.createTempFile(
              file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
      try (var zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
        for (var entry : List.of(NAME + ".json", NAME + "-0000.params")) {
          zip.putNextEntry(new ZipEntry(entry));
          Files.copy(work.resolve(entry), zip);
          zip.closeEntry();
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return sha256(file);
    } finally {
      deleteTree(work);
    }
  }

  /**
   * Loads an artifact after checking its SHA-256.
   *
   * @throws IOException when the file is unreadable, its hash differs, or it is not a Distillery
   *     artifact
   */
  public static HashedLinearStudent load(Path file, String expectedSha256) throws IOException {
    var actual = sha256(file);
    if (expectedSha256 != null && !actual.equalsIgnoreCase(expectedSha256)) {
      throw new IOException(
          "artifact " + file + " has sha256 " + actual + ", expected " + expectedSha256);
    }
    var work = Files.createTempDirectory("student-load");
    try {
      try (var zip = new ZipInputStream(Files.newInputStream(file))) {
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
          var name = Path.of(entry.getName()).getFileName().toString();
          Files.copy(zip, work.resolve(name));
        }
      }
      var manifest = JSON.readValue(work.resolve(NAME + ".json").toFile(), Manifest.class);
      if (manifest.format() != FORMAT || !HashedLinearStudent.KIND.equals(manifest.kind())) {
        throw new IOException(
            "unsupported artifact: format " + manifest.format() + ", kind " + manifest.kind());
      }
      var featurizer = new HashedFeaturizer(manifest.buckets(), manifest.bigrams());
      var block = new SparseLinearBlock(manifest.buckets(), manifest.labels().size());
      try (Model model = Model.newInstance(NAME, "PyTorch")) {
        model.setBlock(block);
        model.load(work, NAME);
        return new HashedLinearStudent(
            featurizer, manifest.labels(), block.weights(), block.biases());
      } catch (MalformedModelException e) {
        throw new IOException("malformed artifact " + file + ": " + e.getMessage(), e);
      }
    } finally {
      deleteTree(work);
    }
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

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (var p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
