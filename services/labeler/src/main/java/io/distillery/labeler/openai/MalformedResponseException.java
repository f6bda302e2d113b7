package io.distillery.labeler.openai;

/** A successful status whose body is not a chat completion (not JSON, no choices). */
final class MalformedResponseException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedResponseException(String message) {
    super(message);
  }
}
