package io.distillery.auditor.mix;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One teacher label on its way to the label-mix count of its task.
 *
 * @param source where the text came from
 * @param labeledAt when it was labeled, epoch milliseconds
 * @param label the teacher's label
 */
public record MixItem(String source, long labeledAt, String label) {

  /** The UTC day it was labeled. */
  public LocalDate day() {
    return LocalDate.ofInstant(Instant.ofEpochMilli(labeledAt), ZoneOffset.UTC);
  }
}
