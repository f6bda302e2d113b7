package io.distillery.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.app.export.Export;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What people look at, on one running pipeline ({@code ./distillery up} with the packaged app;
 * failsafe, after {@code package}) that people reviewed and more texts entered: the dashboard in a
 * real browser (headless system Chromium, driven by Selenium), opened as anyone allowed to see it
 * does, with no credentials: every request must answer 2xx (a stylesheet behind the reviewer's
 * login would answer 401 and leave the browser at a password prompt), and its tables and six charts
 * (the stream, the teacher's cost against the student's savings, the teacher against people per
 * day, the student versions, the label mix per day, the confusion matrix) must be drawn with data;
 * the page is saved as {@code target/dashboard.png} for a person to look at (skipped where Chromium
 * or chromedriver is not installed). And the researcher's export: one row per scored text with its
 * labels, and an {@code audit.md} whose accuracy is what {@code GET /api/quality} reports.
 */
class DashboardAndExportIT {

  private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
  private static final int REVIEWED = 120;
  private static final int MORE_TEXTS = 80;
  private static final ObjectMapper JSON = new ObjectMapper();

  // Kept when a test fails: its logs say why.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path home;

  @TempDir static Path profile;
  @TempDir static Path exported;

  private static LocalStack stack;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static int texts;

  /**
   * One pipeline for both: people review sample texts and more texts arrive, so the teacher is
   * measured, the student is trained twice and the label mix has two sources.
   */
  @BeforeAll
  static void runAPipelineThatPeopleReviewed() throws Exception {
    stack =
        LocalStack.up(
            home,
            Map.of(
                // Every text may be reviewed, so the verdicts below all count.
                "DISTILLERY_AUDITOR_SAMPLE_RATE", "1.0",
                // Every model is measured against people; the texts posted below train another.
                "DISTILLERY_TRAINER_MIN_EVALUATION_SIZE", "40",
                "DISTILLERY_TRAINER_RETRAIN_EVERY", "50"));
    var http = HTTP;
    var sample = sample();
    var verdicts = JSON.createArrayNode();
    sample.stream()
        .limit(REVIEWED)
        .forEach(
            row -> verdicts.addObject().put("id", row.get("id").asText()).put("label", label(row)));
    var reviewed = post(http, stack, "/api/verdicts", "reviewer", verdicts);
    assertThat(reviewed.statusCode()).as(reviewed.body()).isEqualTo(202);
    var more = JSON.createArrayNode();
    sample.stream()
        .limit(MORE_TEXTS)
        .forEach(
            row ->
                more.addObject()
                    .put("id", "dashboard-" + row.get("id").asText())
                    .put("text", row.get("text").asText())
                    .put("source", "dashboard-it"));
    var ingested = post(http, stack, "/api/texts", "ingest", more);
    assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(202);
    texts = sample.size() + MORE_TEXTS;

    awaitJson(
        http,
        stack.appUrl() + "/api/quality",
        q -> q.size() > 0 && q.get(0).get("reviewed").asLong() >= REVIEWED,
        Duration.ofMinutes(3));
    awaitJson(
        http,
        stack.appUrl() + "/api/trainer",
        t ->
            t.get("versions").size() >= 2
                && t.get("versions").findValues("macro_f1").size() == t.get("versions").size(),
        Duration.ofMinutes(3));
    awaitJson(
        http,
        stack.appUrl() + "/api/classifier",
        c -> c.get("scored").asLong() >= texts,
        Duration.ofMinutes(3));
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.stop();
    }
  }

  @Test
  void shouldOpenWithoutLoginWithEveryRequestAnswered2xxAndDrawTheData() throws Exception {
    HeadlessChromium.assumeInstalled();
    var http = HTTP;
    WebDriver driver = null;
    try {
      driver = browser();
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
      // No credentials: the dashboard is for anyone who may reach the app.
      try {
        driver.get(stack.appUrl() + "/");
      } catch (TimeoutException e) {
        throw new AssertionError(
            "/ did not load in 60 s without credentials: an asset behind a login leaves the"
                + " browser at a password prompt",
            e);
      }
      var wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      wait.until(
          d ->
              rows(d, "quality") > 0
                  && rows(d, "models") >= 2
                  && rows(d, "mix") > 0
                  && d.findElement(By.id("classifier")).getText().contains("scored"));

      wait.until(d -> drawn(d).stream().filter(c -> c.get("points").asInt() > 0).count() >= 6);
      assertThat(drawn(driver))
          .as("charts drawn: one per id, with a canvas and data points")
          .filteredOn(c -> c.get("canvas").asInt() > 0 && c.get("points").asInt() > 0)
          .extracting(c -> c.get("id").asText())
          .contains(
              "chart-stream",
              "chart-cost",
              "chart-agreement",
              "chart-models",
              "chart-mix",
              "chart-confusion");

      var requests = requests(driver);
      assertThat(requests)
          .as("the page itself, its stylesheets and scripts, and the API calls it makes")
          .extracting(r -> r.get("name").asText())
          .anySatisfy(name -> assertThat(name).endsWith("/"))
          .anySatisfy(name -> assertThat(name).endsWith(".css"))
          .anySatisfy(name -> assertThat(name).contains("/api/quality"))
          .anySatisfy(name -> assertThat(name).contains("/api/trainer"));
      assertThat(requests)
          .allSatisfy(
              r ->
                  assertThat(r.get("status").asInt())
                      .as("HTTP status of %s", r.get("name").asText())
                      .isBetween(200, 299));
      // And each file the page names, fetched without credentials: a 401 cannot hide here.
      for (var asset : assets(driver)) {
        var response =
            http.send(
                HttpRequest.newBuilder(URI.create(asset)).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).as("HTTP status of %s", asset).isBetween(200, 299);
      }

      assertThat(driver.findElement(By.id("quality-status")).getText()).isEmpty();
      assertThat(driver.findElement(By.id("quality")).getText())
          .contains("review-sentiment")
          .contains(Integer.toString(REVIEWED));
      assertThat(driver.findElement(By.id("mix")).getText()).contains("dashboard-it");
      screenshot(driver);
    } finally {
      if (driver != null) {
        driver.quit();
      }
    }
  }

  @Test
  void shouldExportEveryScoredTextWithItsLabelsAndAnAuditThatMatchesTheQualityApi()
      throws Exception {
    var topics =
        io.distillery.common.Topics.create(
            "distillery", io.distillery.common.RegistrySerdes.of("apicurio", stack.registryUrl()));
    var quality =
        awaitJson(
            HTTP,
            stack.appUrl() + "/api/quality",
            q -> q.size() > 0 && q.get(0).get("reviewed").asLong() >= REVIEWED,
            Duration.ofMinutes(1));
    var reviewed = quality.get(0).get("reviewed").asLong();
    var accuracy = quality.get(0).get("accuracy").asDouble();
    var settings =
        new Export.Settings(
            "review-sentiment", exported, io.distillery.app.export.RowWriter.Format.JSONL);
    // The auditor publishes its report after the verdicts it counts: read until it caught up.
    String audit = "";
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!audit.contains("| reviewed (with a label) | " + reviewed + " |")
        && System.nanoTime() < deadline) {
      Export.run(settings, stack.bootstrapServers(), topics, null, 1.0, System.err);
      audit = Files.readString(exported.resolve("audit.md"));
    }

    var rows =
        Files.readAllLines(exported.resolve("texts.jsonl")).stream()
            .map(DashboardAndExportIT::tree)
            .toList();
    assertThat(rows).as("one row per text, every one scored").hasSize(texts);
    assertThat(rows).allSatisfy(r -> assertThat(r.get("student").isNull()).isFalse());
    assertThat(rows)
        .allSatisfy(r -> assertThat(r.at("/teacher/prompt_version").asText()).isNotEmpty());
    assertThat(rows.stream().filter(r -> r.get("people").size() > 0)).hasSize(REVIEWED);
    assertThat(audit)
        .contains("| reviewed (with a label) | " + reviewed + " |")
        .contains(String.format(java.util.Locale.ROOT, "| accuracy | %.4f |", accuracy))
        .contains("| the student | " + texts + " |")
        .contains("| people | " + REVIEWED + " |");
  }

  private static JsonNode tree(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The sample stream {@code ./distillery up} ingests, with the labels people gave its texts. */
  private static List<JsonNode> sample() throws Exception {
    var root = Path.of(System.getProperty("distillery.home", "../.."));
    var rows = new ArrayList<JsonNode>();
    for (var line : Files.readAllLines(root.resolve("examples/sample-stream.jsonl"))) {
      if (!line.isBlank()) {
        rows.add(JSON.readTree(line));
      }
    }
    return rows;
  }

  private static String label(JsonNode row) {
    return row.get("human_label").asText();
  }

  private static HttpResponse<String> post(
      HttpClient http, LocalStack stack, String path, String user, JsonNode body) throws Exception {
    var login =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (user + ":" + stack.password(user)).getBytes(StandardCharsets.UTF_8));
    return http.send(
        HttpRequest.newBuilder(URI.create(stack.appUrl() + path))
            .header("Content-Type", "application/json")
            .header("Authorization", login)
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Polls an anonymous GET until its JSON satisfies {@code done}. */
  private static JsonNode awaitJson(
      HttpClient http, String url, Predicate<JsonNode> done, Duration timeout) throws Exception {
    var deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      var response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        last = JSON.readTree(response.body());
        if (done.test(last)) {
          return last;
        }
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(url + " not ready in " + timeout + ", last: " + last);
  }

  private WebDriver browser() {
    return HeadlessChromium.start(profile, 1400, 1000);
  }

  private static long rows(WebDriver driver, String table) {
    return driver.findElements(By.cssSelector("#" + table + " tbody tr")).size();
  }

  /**
   * Each chart on the page: whether ECharts drew it on a canvas, and how many data points (non-null
   * values) its series hold.
   */
  private static List<JsonNode> drawn(WebDriver driver) {
    try {
      var charts =
          ((JavascriptExecutor) driver)
              .executeScript(
                  "return JSON.stringify(Array.from(document.querySelectorAll('.chart')).map(el => {"
                      + " const c = window.echarts && echarts.getInstanceByDom(el);"
                      + " const points = c ? c.getOption().series.reduce((n, s) => n + (s.data || [])"
                      + "   .filter(d => d !== null && d !== undefined && !(Array.isArray(d) && d[1] === null)"
                      + "     && !(typeof d === 'object' && !Array.isArray(d) && d.value === null)).length, 0) : 0;"
                      + " return {id: el.id, canvas: el.querySelectorAll('canvas').length, points: points};"
                      + "}));");
      var out = new ArrayList<JsonNode>();
      JSON.readTree((String) charts).forEach(out::add);
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every request the page made, with its HTTP status, from the browser's own record: the
   * navigation and resource timing entries (Chromium 109 and later give {@code responseStatus}; 0
   * when a request failed or has no answer).
   */
  private static List<JsonNode> requests(WebDriver driver) throws Exception {
    var entries =
        ((JavascriptExecutor) driver)
            .executeScript(
                "return JSON.stringify(performance.getEntriesByType('navigation')"
                    + ".concat(performance.getEntriesByType('resource'))"
                    + ".map(e => ({name: e.name, status: e.responseStatus})));");
    var out = new ArrayList<JsonNode>();
    JSON.readTree((String) entries).forEach(out::add);
    return out;
  }

  /** The absolute URL of every stylesheet, script and image the page names. */
  private static List<String> assets(WebDriver driver) {
    @SuppressWarnings("unchecked")
    var urls =
        (List<String>)
            ((JavascriptExecutor) driver)
                .executeScript(
                    "return Array.from(document.querySelectorAll('link[href], script[src], img[src]'))"
                        + ".map(e => e.href || e.src);");
    return urls;
  }

  /**
   * Saves the whole page, below the fold too, for a person to look at: DevTools' own screenshot
   * command, which every Chromium's driver passes through unchanged.
   */
  private static void screenshot(WebDriver driver) throws Exception {
    var chrome = (ChromeDriver) driver;
    var size =
        (Map<?, ?>)
            chrome.executeCdpCommand("Page.getLayoutMetrics", Map.of()).get("cssContentSize");
    var clip =
        Map.of(
            "x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"), "scale", 1);
    var shot =
        chrome.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, Base64.getDecoder().decode((String) shot.get("data")));
  }
}
