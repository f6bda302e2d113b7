package io.distillery.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.schema.ModelStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelHolderTest {

  @TempDir Path dir;

  private final ModelHolder holder = new ModelHolder(TestFixtures.TASK);

  @Test
  void shouldLoadWhicheverVersionWasPromotedLast() {
    assertThat(holder.offer(TestFixtures.saved(dir, 1, ModelStatus.CANDIDATE))).isFalse();
    assertThat(holder.current()).isEmpty();

    assertThat(holder.offer(TestFixtures.saved(dir, 2, ModelStatus.PROMOTED))).isTrue();
    assertThat(holder.offer(TestFixtures.saved(dir, 2, ModelStatus.PROMOTED)))
        .as("the champion restated")
        .isFalse();
    assertThat(holder.offer(TestFixtures.saved(dir, 3, ModelStatus.REJECTED))).isFalse();
    assertThat(holder.current().orElseThrow().version()).isEqualTo(2);

    // A rollback promotes an older version again.
    assertThat(holder.offer(TestFixtures.saved(dir, 1, ModelStatus.PROMOTED))).isTrue();
    var current = holder.current().orElseThrow();
    assertThat(current.name()).isEqualTo(TestFixtures.TASK);
    assertThat(current.version()).isEqualTo(1);
    assertThat(current.student().labels()).isEqualTo(TestFixtures.LABELS);
    assertThat(current.student().predict("great acting and a great story").label())
        .isEqualTo("positive");
  }

  @Test
  void shouldKeepTheCurrentModelWhenANewerVersionCannotBeLoaded() {
    holder.offer(TestFixtures.saved(dir, 1, ModelStatus.PROMOTED));
    var good = TestFixtures.saved(dir, 2, ModelStatus.PROMOTED);

    var wrongHash =
        TestFixtures.version(2, ModelStatus.PROMOTED, good.getArtifactUri(), "00".repeat(32));
    var gone = dir.toUri().toString();
    var missing = TestFixtures.version(3, ModelStatus.PROMOTED, gone, good.getArtifactSha256());
    var notFile =
        TestFixtures.version(
            4, ModelStatus.PROMOTED, "https://example.org/v4.zip", good.getArtifactSha256());

    assertThat(holder.offer(wrongHash)).isFalse();
    assertThat(holder.offer(missing)).isFalse();
    assertThat(holder.offer(notFile)).isFalse();
    assertThat(holder.current().orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void shouldIgnoreOtherModelNames() {
    var other = TestFixtures.saved(dir, 1, ModelStatus.PROMOTED);
    other.setName("another-task");

    assertThat(holder.offer(other)).isFalse();
    assertThat(holder.current()).isEmpty();
  }
}
