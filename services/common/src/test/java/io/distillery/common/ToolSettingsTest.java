package io.distillery.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tools read the application's settings, with the application's precedence. */
class ToolSettingsTest {

  @AfterEach
  void clear() {
    System.clearProperty("KAFKA_BOOTSTRAP_SERVERS");
    System.clearProperty("distillery.kafka.bootstrap-servers");
    System.clearProperty("distillery.topic-prefix");
  }

  @Test
  void shouldTakeTheConventionalVariableUnlessTheDistillerySettingIsGiven() {
    System.setProperty("KAFKA_BOOTSTRAP_SERVERS", "conventional:9092");
    assertThat(ToolSettings.distillery().kafka().bootstrapServers()).isEqualTo("conventional:9092");

    System.setProperty("distillery.kafka.bootstrap-servers", "explicit:9092");
    System.setProperty("distillery.topic-prefix", "tenant-a");
    var config = ToolSettings.distillery();
    assertThat(config.kafka().bootstrapServers()).isEqualTo("explicit:9092");
    assertThat(config.topicPrefix()).isEqualTo("tenant-a");
    assertThat(config.kafka().partitions()).as("the application's default").isEqualTo(3);
  }
}
