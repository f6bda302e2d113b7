package io.distillery.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishedEchoesTest {

  private final PublishedEchoes echoes = new PublishedEchoes();

  @Test
  void shouldSkipEachPublishedRecordOnceInOrderAndNothingElse() {
    var promoted = model(2, ModelStatus.PROMOTED, "macro-F1 0.8");
    var stays = model(2, ModelStatus.PROMOTED, "champion stays: v3 rejected");
    echoes.published(promoted);
    echoes.published(stays);

    assertThat(echoes.isEcho(model(1, ModelStatus.RETIRED, "replaced by v2")))
        .as("another trainer's record")
        .isFalse();
    assertThat(echoes.isEcho(promoted)).isTrue();
    assertThat(echoes.isEcho(promoted)).as("each echo once").isFalse();
    assertThat(echoes.isEcho(stays)).as("same version and status, another reason").isTrue();
  }

  private static ModelVersion model(long version, ModelStatus status, String reason) {
    return ModelVersion.newBuilder()
        .setName("sentiment")
        .setVersion(version)
        .setKind("hashed-linear")
        .setStatus(status)
        .setStatusReason(reason)
        .setArtifactUri("file:/m/" + version)
        .setArtifactSha256("00")
        .setLabels(List.of("negative", "positive"))
        .setPromptVersion("v1")
        .setTrainingSize(100)
        .setCreatedAt(Instant.EPOCH)
        .build();
  }
}
