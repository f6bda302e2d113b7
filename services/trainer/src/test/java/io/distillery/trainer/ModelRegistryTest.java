package io.distillery.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

  private final ModelRegistry registry = new ModelRegistry();

  private static ModelVersion candidate(long version) {
    return ModelVersion.newBuilder()
        .setName("sentiment")
        .setVersion(version)
        .setKind("hashed-linear")
        .setStatus(ModelStatus.CANDIDATE)
        .setArtifactUri("file:/models/v" + version)
        .setArtifactSha256("ab")
        .setLabels(List.of("negative", "positive"))
        .setPromptVersion("p")
        .setTrainingSize(100 * version)
        .setCreatedAt(Instant.EPOCH)
        .build();
  }

  private List<ModelVersion> apply(List<ModelVersion> records) {
    records.forEach(registry::record);
    return records;
  }

  private static List<String> statuses(List<ModelVersion> records) {
    return records.stream().map(r -> "v" + r.getVersion() + " " + r.getStatus()).toList();
  }

  @Test
  void shouldPromoteTheFirstModel() {
    var records = apply(registry.decide(candidate(1), null, null, 0.01, "no champion"));

    assertThat(statuses(records)).containsExactly("v1 PROMOTED");
    assertThat(records.get(0).getStatusReason()).isEqualTo("first model");
    assertThat(registry.champion()).map(ModelVersion::getVersion).contains(1L);
  }

  @Test
  void shouldRejectAWorseChallengerAndRestateTheChampionLast() {
    apply(registry.decide(candidate(1), null, null, 0.01, "no champion"));

    var records = apply(registry.decide(candidate(2), 0.80, 0.85, 0.01, null));

    assertThat(statuses(records)).containsExactly("v2 REJECTED", "v1 PROMOTED");
    assertThat(records.get(0).getStatusReason())
        .isEqualTo(
            "macro-F1 0.8000 on the human set is worse than champion v1's 0.8500 by more than"
                + " 0.0100");
    assertThat(registry.champion()).map(ModelVersion::getVersion).contains(1L);
    assertThat(registry.lastVersion()).isEqualTo(2);
  }

  @Test
  void shouldPromoteAChallengerWithinTheToleranceAndRetireTheChampion() {
    apply(registry.decide(candidate(1), null, null, 0.01, "no champion"));

    var records = apply(registry.decide(candidate(2), 0.845, 0.85, 0.01, null));

    assertThat(statuses(records)).containsExactly("v1 RETIRED", "v2 PROMOTED");
    assertThat(registry.champion()).map(ModelVersion::getVersion).contains(2L);
  }

  @Test
  void shouldPromoteWithoutComparisonSayingWhy() {
    apply(registry.decide(candidate(1), null, null, 0.01, "no champion"));

    var records = apply(registry.decide(candidate(2), null, null, 0.01, "no human-verified items"));

    assertThat(statuses(records)).containsExactly("v1 RETIRED", "v2 PROMOTED");
    assertThat(records.get(1).getStatusReason())
        .isEqualTo("newer than v1, not compared: no human-verified items");
  }

  @Test
  void shouldRollBackToTheVersionPromotedBefore() {
    apply(registry.decide(candidate(1), null, null, 0.01, "no champion"));
    apply(registry.decide(candidate(2), 0.9, 0.8, 0.01, null));
    apply(registry.decide(candidate(3), 0.5, 0.9, 0.01, null));

    var records = apply(registry.rollback(2, "ops"));

    assertThat(statuses(records)).containsExactly("v2 RETIRED", "v1 PROMOTED");
    assertThat(records.get(1).getStatusReason()).isEqualTo("rollback of v2 by ops");
    assertThat(registry.champion()).map(ModelVersion::getVersion).contains(1L);
    assertThatThrownBy(() -> registry.rollback(3, "ops"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("v3 is not the champion (v1 is)");
    // Rolling back the rollback returns to the champion before it.
    assertThat(statuses(apply(registry.rollback(1, "ops"))))
        .containsExactly("v1 RETIRED", "v2 PROMOTED");
  }

  @Test
  void shouldRefuseARollbackWithNothingBeforeTheChampion() {
    apply(registry.decide(candidate(1), null, null, 0.01, "no champion"));

    assertThatThrownBy(() -> registry.rollback(1, "ops"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no version was promoted before v1");
  }

  @Test
  void shouldLetAPersonPromoteARejectedVersion() {
    apply(registry.decide(candidate(1), null, null, 0.01, "no champion"));
    apply(registry.decide(candidate(2), 0.5, 0.9, 0.01, null));

    var records = apply(registry.promote(2, "ann"));

    assertThat(statuses(records)).containsExactly("v1 RETIRED", "v2 PROMOTED");
    assertThat(records.get(1).getStatusReason()).isEqualTo("promoted by ann");
    assertThat(registry.champion()).map(ModelVersion::getVersion).contains(2L);
    assertThatThrownBy(() -> registry.promote(2, "ann")).hasMessageContaining("champion already");
    assertThatThrownBy(() -> registry.promote(9, "ann")).hasMessageContaining("no version 9");
  }
}
