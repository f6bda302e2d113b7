package io.distillery.labeler.openai;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * What to do about a failed call, decided here and nowhere else, walking the cause chain (a timeout
 * may come wrapped).
 *
 * <ul>
 *   <li>{@link Verdict#RETRY}: 408, 409, 429, 5xx, and every {@link IOException} (timeouts, refused
 *       or reset connections, a response cut short) — back off and call again;
 *   <li>{@link Verdict#WAIT}: 401, 403, 404 — a wrong key, permission or model is the teacher's
 *       fault, not the text's: the batch waits (dead-lettering it would drop every text until
 *       someone fixes the configuration);
 *   <li>{@link Verdict#FALLBACK}: 400 naming {@code response_format} — ask for a simpler format;
 *   <li>{@link Verdict#CORRECT}: a successful status without a chat completion — ask once more;
 *   <li>{@link Verdict#WAIT} also for 402 (out of credit) and a 400/422 refusing a request setting.
 *   <li>{@link Verdict#REJECT}: any other 4xx — this request will never work: the text fails.
 * </ul>
 */
final class Retriable {

  enum Verdict {
    RETRY,
    WAIT,
    FALLBACK,
    CORRECT,
    REJECT
  }

  private Retriable() {}

  static Verdict verdict(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof ApiStatusException status) {
        return byStatus(status);
      }
      if (t instanceof MalformedResponseException) {
        return Verdict.CORRECT;
      }
      if (t instanceof IOException) {
        return Verdict.RETRY;
      }
    }
    return Verdict.REJECT;
  }

  private static Verdict byStatus(ApiStatusException e) {
    int status = e.status();
    if (status == 408 || status == 409 || status == 429 || status >= 500) {
      return Verdict.RETRY;
    }
    if (status == 401 || status == 402 || status == 403 || status == 404) {
      return Verdict.WAIT;
    }
    if (status == 400 && e.mentionsResponseFormat()) {
      return Verdict.FALLBACK;
    }
    // A refused setting (n, logprobs, temperature) is a configuration fault, not the text's:
    // dead-lettering would empty the stream into the DLQ until someone notices.
    if ((status == 400 || status == 422) && e.refusesRequestSetting()) {
      return Verdict.WAIT;
    }
    return Verdict.REJECT;
  }
}
