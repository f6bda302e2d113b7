package io.distillery.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassifierConfigTest {

  @Test
  void shouldDefaultToTheDocumentedValues() {
    var config = TestFixtures.config(Map.of());

    assertThat(config.uncertainThreshold()).isEqualTo(0.6);
    assertThat(config.applicationId()).isEqualTo("distillery-classifier");
    assertThat(config.pendingFlushInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.maxTextChars()).isEqualTo(100_000);
    assertThat(config.streamThreads()).isEqualTo(1);
  }

  @Test
  void shouldReadOverridesUnderTheClassifierPrefix() {
    var config =
        TestFixtures.config(
            Map.of(
                "distillery.classifier.uncertain-threshold", "0.75",
                "distillery.classifier.application-id", "classifier-b",
                "distillery.classifier.pending-flush-interval", "PT2S",
                "distillery.classifier.max-text-chars", "5000",
                "distillery.classifier.stream-threads", "2"));

    assertThat(config.uncertainThreshold()).isEqualTo(0.75);
    assertThat(config.applicationId()).isEqualTo("classifier-b");
    assertThat(config.pendingFlushInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.maxTextChars()).isEqualTo(5000);
    assertThat(config.streamThreads()).isEqualTo(2);
  }
}
