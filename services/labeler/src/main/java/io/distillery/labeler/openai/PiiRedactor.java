package io.distillery.labeler.openai;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces e-mail addresses, URLs, {@code @handles} and phone numbers with {@code [EMAIL]}, {@code
 * [URL]}, {@code [HANDLE]} and {@code [PHONE]} in what is sent to the teacher; the texts on the
 * topics keep them. URLs go first (they may hold {@code @} and digits), then e-mails (so their
 * {@code @domain} is not taken for a handle). A phone number is a run of 7 to 15 digits with the
 * usual separators; ISO dates ({@code 2024-01-15}) and decimals ({@code 3.14159265}) are not phone
 * numbers.
 */
final class PiiRedactor {

  private static final Pattern URL =
      Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s<>\"]+?(?=[.,;:!?)\\]]*(?:[\\s<>\"]|$))");
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern HANDLE = Pattern.compile("(?<![\\w@])@[A-Za-z0-9_]{1,30}\\b");
  private static final Pattern PHONE =
      Pattern.compile("(?<![\\w+])\\+?\\d[\\d ().\\-]{5,}\\d(?!\\w)");
  private static final Pattern NOT_A_PHONE =
      Pattern.compile("\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d+\\.\\d+");

  private PiiRedactor() {}

  static String redact(String text) {
    var out = URL.matcher(text).replaceAll("[URL]");
    out = EMAIL.matcher(out).replaceAll("[EMAIL]");
    out = HANDLE.matcher(out).replaceAll("[HANDLE]");
    return phones(out);
  }

  private static String phones(String text) {
    Matcher m = PHONE.matcher(text);
    var out = new StringBuilder();
    while (m.find()) {
      var candidate = m.group();
      long digits = candidate.chars().filter(Character::isDigit).count();
      boolean phone =
          digits >= 7 && digits <= 15 && !NOT_A_PHONE.matcher(candidate.trim()).matches();
      m.appendReplacement(out, Matcher.quoteReplacement(phone ? "[PHONE]" : candidate));
    }
    m.appendTail(out);
    return out.toString();
  }
}
