package io.distillery.labeler.openai;

import java.text.MessageFormat;
import java.util.Arrays;
import org.jboss.logging.Logger;

/** A jboss-logging logger that keeps every message, formatted, with its exception. */
final class CapturingLogger extends Logger {
  private static final long serialVersionUID = 1L;

  private final StringBuffer lines = new StringBuffer();

  CapturingLogger() {
    super("capture");
  }

  /** Everything logged so far, one record a line. */
  String text() {
    return lines.toString();
  }

  @Override
  public boolean isEnabled(Level level) {
    return true;
  }

  @Override
  protected void doLog(
      Level level, String loggerClassName, Object message, Object[] parameters, Throwable thrown) {
    var text =
        parameters == null || parameters.length == 0
            ? String.valueOf(message)
            : MessageFormat.format(String.valueOf(message), parameters);
    append(level, text, thrown);
  }

  @Override
  protected void doLogf(
      Level level, String loggerClassName, String format, Object[] parameters, Throwable thrown) {
    var text = parameters == null ? format : String.format(format, parameters);
    append(level, text + (parameters == null ? "" : " " + Arrays.toString(parameters)), thrown);
  }

  private void append(Level level, String text, Throwable thrown) {
    lines.append(level).append(' ').append(text);
    if (thrown != null) {
      lines.append(' ').append(thrown);
    }
    lines.append('\n');
  }
}
