package dev.hallmark.tests.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The one place the browser tests find and start Debian's {@code chromium} through
 * {@code chromium-driver} (which {@code .ci/run} installs): headless, with the flags this machine's
 * closed network needs, and a fresh profile folder per test class.
 */
final class HeadlessChromium {
  static final Path CHROMIUM = Path.of(System.getProperty("hallmark.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("hallmark.chromedriver", "/usr/bin/chromedriver"));

  private HeadlessChromium() {}

  /**
   * Skips the calling test class (a JUnit assumption) when Chromium or its driver is missing, or
   * fails it when {@code HALLMARK_REQUIRE_BROWSER=1} says the run must not skip browser tests.
   */
  static void requireOrSkip() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String why = "the browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
        + "); install them with 'apt-get install chromium chromium-driver' (.ci/run does)";
    if (!present && "1".equals(System.getenv("HALLMARK_REQUIRE_BROWSER"))) {
      throw new IllegalStateException("HALLMARK_REQUIRE_BROWSER=1 but " + why);
    }
    Assumptions.assumeTrue(present, "SKIPPED: " + why);
  }

  /** Starts a headless browser with its profile under {@code dir}; extra Chromium flags are appended. */
  static WebDriver start(Path dir, String... extraFlags) throws IOException {
    List<String> flags = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile"))));
    flags.addAll(Arrays.asList(extraFlags));
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments(flags);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    WebDriver browser = new ChromeDriver(service, o);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return browser;
  }
}
