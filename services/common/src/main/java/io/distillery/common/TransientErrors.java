package io.distillery.common;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The one place the roles decide whether a failure is about the record or about the infrastructure.
 * A record that cannot be read is dead-lettered; a registry that cannot be reached must not
 * dead-letter good records, so such a failure makes the batch (labeler) or the stream task
 * (classifier, auditor) wait and redo the record under exactly-once.
 */
public final class TransientErrors {

  private TransientErrors() {}

  /** Whether {@code error}, or anything in its cause chain, is a network failure or a timeout. */
  public static boolean isTransient(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof SocketException
          || t instanceof SocketTimeoutException
          || t instanceof UnknownHostException
          || t instanceof HttpTimeoutException
          || t instanceof TimeoutException
          || t instanceof RetriableException
          // HTTP clients (Vert.x under the registry serdes) throw their own timeout types.
          || t.getClass().getSimpleName().endsWith("TimeoutException")) {
        return true;
      }
    }
    return false;
  }
}
