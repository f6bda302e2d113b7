package io.distillery.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.bench.chaos.ChaosRun;
import io.distillery.bench.chaos.ChaosSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short chaos run of {@code ./distillery chaos}, on the packaged app: the four roles in their
 * own processes, four SIGKILLs (one per role), a broker restart and a registry restart while 400
 * texts, poison and verdicts from foreign-partitioned producers stream in and the stub LLM fails a
 * fifth of its requests. Nothing may be lost or duplicated, every poison record and every verdict
 * accounted for, and the classifier must follow the champion. The long run's figures are in
 * docs/reliability.md.
 */
class ChaosIT {

  @TempDir Path work;

  @Test
  void shouldLoseAndDuplicateNothingWhileRolesTheBrokerAndTheRegistryAreKilled() throws Exception {
    var root = Path.of(System.getProperty("distillery.home", "../.."));
    var settings =
        new ChaosSettings(
            4, 400, 10, 0.02, 0.2, 20261202L, Duration.ZERO, Duration.ofMinutes(5), work, root);

    var result = ChaosRun.run(settings);

    System.out.println(result.line());
    assertThat(result.outcome().problems()).isEmpty();
    assertThat(result.kills()).isEqualTo(4);
    assertThat(result.brokerRestarts()).isEqualTo(1);
    assertThat(result.registryRestarts()).isEqualTo(1);
    assertThat(result.outcome().lost()).isZero();
    assertThat(result.outcome().duplicated()).isZero();
    assertThat(result.outcome().poisonSent()).as("poison was sent").isPositive();
    assertThat(result.outcome().poisonDeadLettered()).isEqualTo(result.outcome().poisonSent());
    assertThat(result.outcome().verdictsSent()).as("verdicts were sent").isPositive();
    assertThat(result.outcome().verdictsCounted()).isEqualTo(result.outcome().verdictsSent());
    assertThat(result.outcome().teacherIds()).as("texts went to the teacher").isPositive();
  }
}
