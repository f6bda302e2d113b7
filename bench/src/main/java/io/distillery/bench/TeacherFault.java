package io.distillery.bench;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/** What one request to the stub LLM suffers, the ways a real chat-completions service fails. */
public enum TeacherFault {
  /** Answered well. */
  NONE,
  /** 429 with {@code Retry-After: 1}, OpenAI's {@code rate_limit_exceeded} error body. */
  RATE_LIMITED,
  /** 500 with OpenAI's {@code server_error} body. */
  SERVER_ERROR,
  /** No answer for {@link #TIMEOUT_MILLIS}, longer than the client is told to wait. */
  TIMEOUT,
  /** 200 whose message content is cut-off JSON. */
  MALFORMED,
  /** 200 whose label is none of the codebook's. */
  OUT_OF_SET;

  /** How long a {@link #TIMEOUT} request hangs; the chaos run's teacher waits 2 s. */
  public static final long TIMEOUT_MILLIS = 3_000;

  /** The faults, without {@link #NONE}. */
  public static List<TeacherFault> faults() {
    return List.of(RATE_LIMITED, SERVER_ERROR, TIMEOUT, MALFORMED, OUT_OF_SET);
  }

  /**
   * A fault for a share of requests, spread evenly over the five kinds; reproducible from {@code
   * seed} for one order of requests.
   *
   * @param share the fraction of requests that fail, 0 to 1
   */
  public static Supplier<TeacherFault> randomly(double share, long seed) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("fault share must lie in [0, 1], got " + share);
    }
    var random = new Random(seed);
    var faults = faults();
    return () -> {
      synchronized (random) {
        return random.nextDouble() < share ? faults.get(random.nextInt(faults.size())) : NONE;
      }
    };
  }
}
