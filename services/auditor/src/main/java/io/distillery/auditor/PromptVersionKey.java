package io.distillery.auditor;

/**
 * The key of everything the auditor aggregates per prompt version of a task (agreement, the drift
 * probe's summary): {@code task|promptVersion} in the stores, built in one place so a writer and a
 * reader of a store cannot disagree on it.
 *
 * @param task the codebook's task
 * @param promptVersion the prompt version its labels were given under
 */
public record PromptVersionKey(String task, String promptVersion) {

  /** The store key. */
  public String key() {
    return task + "|" + promptVersion;
  }
}
