package io.distillery.app;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and ChromeDriver for the browser tests, headless, talking to nothing but
 * loopback: no background networking, component updates or sync, and Selenium Manager told never to
 * download a browser or a driver.
 */
public final class HeadlessChromium {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private HeadlessChromium() {}

  /** Skips the calling test where Chromium or ChromeDriver is not installed. */
  public static void assumeInstalled() {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs " + CHROMIUM + " and " + CHROMEDRIVER + " (Debian: chromium, chromium-driver)");
    System.setProperty("SE_OFFLINE", "true");
  }

  /**
   * A browser with its profile in {@code profile} and a window of {@code width} x {@code height}.
   */
  public static ChromeDriver start(Path profile, int width, int height) {
    var service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withEnvironment(Map.of("SE_OFFLINE", "true"))
            .build();
    var options =
        new ChromeOptions()
            .setBinary(CHROMIUM.toFile())
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile);
    return new ChromeDriver(service, options);
  }
}
