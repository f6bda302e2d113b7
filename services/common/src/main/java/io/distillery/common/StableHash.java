package io.distillery.common;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Deterministic hashing of ids, so a replay of the same stream makes the same choices. */
public final class StableHash {

  private StableHash() {}

  /** A value in [0, 1) that depends only on {@code id} and {@code salt}. */
  public static double unit(String id, String salt) {
    var crc = new CRC32C();
    crc.update(salt.getBytes(StandardCharsets.UTF_8));
    crc.update(0);
    crc.update(id.getBytes(StandardCharsets.UTF_8));
    // Mix the 32 bits so that ids differing in one character spread over the unit interval.
    long h = crc.getValue() * 0x9E3779B97F4A7C15L;
    return (h >>> 11) * 0x1.0p-53;
  }
}
