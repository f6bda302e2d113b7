package io.distillery.labeler.openai;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits; tests substitute one that records the wait and returns at once. */
@FunctionalInterface
public interface Sleeper {

  /** Really sleeps the calling thread. */
  Sleeper SYSTEM =
      duration -> {
        if (duration.isNegative() || duration.isZero()) {
          return;
        }
        TimeUnit.NANOSECONDS.sleep(duration.toNanos());
      };

  /** Waits {@code duration}; zero or negative returns at once. */
  void sleep(Duration duration) throws InterruptedException;
}
