package io.distillery.app.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.distillery.app.HeadlessChromium;
import io.distillery.app.LocalStack;
import io.distillery.common.AvroSerdes;
import io.distillery.common.Topics;
import io.distillery.common.testing.Records;
import io.distillery.schema.ReviewVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review page in a real browser (headless system Chromium, driven by Selenium): log in with the
 * browser's basic auth, answer three items with the keyboard, undo one, skip one, and find the
 * verdicts on the topic. Runs against the packaged application started by {@code ./distillery up}
 * (failsafe, after {@code package}); skipped where Chromium or chromedriver is not installed.
 */
class ReviewPageIT {

  @TempDir Path home;
  @TempDir Path profile;

  @Test
  void shouldRecordKeyboardAnswersUndoAndSkipAsVerdicts() throws Exception {
    HeadlessChromium.assumeInstalled();
    var stack = LocalStack.up(home, Map.of("DISTILLERY_AUDITOR_SAMPLE_RATE", "0.2"));
    WebDriver driver = null;
    try {
      var password = stack.password("reviewer");

      driver = HeadlessChromium.start(profile, 1280, 900);
      var base = stack.appUrl();
      // The browser's basic-auth login, given in the URL once; later same-origin calls reuse it.
      driver.get(
          "http://reviewer:"
              + password
              + "@"
              + stack.appUrl().substring("http://".length())
              + "/review/");
      var wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      var first = awaitFirstItem(driver, base, Duration.ofMinutes(3));
      var labels =
          driver.findElements(By.cssSelector("#labels button")).stream()
              .map(b -> b.getAttribute("data-label"))
              .toList();
      assertThat(labels).hasSizeGreaterThanOrEqualTo(2);
      assertThat(driver.findElement(By.id("text")).getText()).isNotBlank();

      var answered = new ArrayList<String>();
      var keys = List.of("1", "2", "1");
      var current = first;
      for (var key : keys) {
        answered.add(current);
        press(driver, key);
        current = awaitItemAfter(wait, driver, current);
      }
      assertThat(driver.findElement(By.id("reviewed-today")).getText()).isEqualTo("3");

      press(driver, "u");
      var undone = answered.get(2);
      wait.until(d -> undone.equals(itemId(d)) && ready(d));
      assertThat(driver.findElement(By.id("reviewed-today")).getText()).isEqualTo("2");
      press(driver, "s");
      awaitItemAfter(wait, driver, undone);

      var topics = Topics.create("distillery", new AvroSerdes(stack.registryUrl()));
      var verdicts =
          Records.readUntil(
              stack.bootstrapServers(),
              topics.reviewVerdicts(),
              Duration.ofMinutes(1),
              r -> byReviewer(r).size() >= 5);
      var mine = byReviewer(verdicts);
      assertThat(mine)
          .extracting(ReviewVerdict::getId, ReviewVerdict::getLabel, ReviewVerdict::getSkipped)
          .containsExactly(
              tuple(answered.get(0), labels.get(0), false),
              tuple(answered.get(1), labels.get(1), false),
              tuple(undone, labels.get(0), false),
              tuple(undone, null, true),
              tuple(undone, null, true));
      assertThat(mine.get(3).getNote()).isEqualTo("withdrawn on the review page");
      assertThat(mine).allSatisfy(v -> assertThat(v.getReviewer()).isEqualTo("reviewer"));
    } finally {
      if (driver != null) {
        driver.quit();
      }
      stack.stop();
    }
  }

  private static List<ReviewVerdict> byReviewer(List<ConsumerRecord<String, ReviewVerdict>> r) {
    return r.stream()
        .map(ConsumerRecord::value)
        .filter(v -> v.getReviewer().equals("reviewer"))
        // Verdicts are keyed by id, so only one id's verdicts share a partition's order.
        .sorted(Comparator.comparing(ReviewVerdict::getDecidedAt))
        .toList();
  }

  /** Reloads the page until the auditor's first review requests reach it. */
  private static String awaitFirstItem(WebDriver driver, String base, Duration timeout)
      throws InterruptedException {
    var deadline = System.nanoTime() + timeout.toNanos();
    var wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    while (true) {
      wait.until(ReviewPageIT::ready);
      var id = itemId(driver);
      if (!id.isEmpty()) {
        return id;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no review item in " + timeout);
      }
      Thread.sleep(2000);
      driver.get(base + "/review/");
    }
  }

  private static String awaitItemAfter(WebDriverWait wait, WebDriver driver, String previous) {
    wait.until(d -> ready(d) && !previous.equals(itemId(d)));
    return itemId(driver);
  }

  private static void press(WebDriver driver, String key) {
    new Actions(driver).sendKeys(key).perform();
  }

  private static boolean ready(WebDriver driver) {
    return "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-ready"));
  }

  private static String itemId(WebDriver driver) {
    var id = driver.findElement(By.tagName("body")).getAttribute("data-item-id");
    return id == null ? "" : id;
  }
}
