package dev.hallmark.tests.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.cli.serve.HallmarkServer;
import dev.hallmark.cli.serve.ServerConfig;
import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.provenance.Provenance;
import dev.hallmark.provenance.TagRequest;
import dev.hallmark.provenance.TagResult;
import dev.hallmark.provenance.Tagger;
import dev.hallmark.provenance.TaggerSettings;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.image.Images;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The verification page in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs), served by the real {@code serve} code on
 * 127.0.0.1: a tagged image, a re-encoded copy and an untagged photo are uploaded through the page's
 * file input, and what a person would read is checked. Skipped, with a message, when Chromium is
 * not installed.
 */
class VerificationPageBrowserTest {
  static final String TOKEN = "browser-test-token-0123456789";

  @TempDir static Path dir;
  static Ledger ledger;
  static HallmarkServer server;
  static WebDriver browser;
  static Path tagged;
  static Path copy;
  static Path untagged;

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.requireOrSkip();
    long seed = 2026L;
    System.out.println("VerificationPageBrowserTest seed " + seed);
    Random r = new Random(seed);
    WatermarkKey key = WatermarkKey.generate("gen", r);
    byte[] s = new byte[32];
    r.nextBytes(s);
    SigningKey ops = SigningKey.fromSeed("ops", s);
    Path ld = dir.resolve("ledger");
    Ledgers.init(ld, "browser.test/log", ops, "ops");
    ledger = Ledgers.open(ld, ops, LedgerOptions.DEFAULT);
    Tagger tagger = Provenance.tagger(new TaggerSettings(ledger, ops, key, ImageWatermarkParameters.DEFAULT,
        Clock.systemUTC(), new SecureRandom()));
    TagResult t = tagger.tagImage(resource("kodim07.png"), "kodim07.png", new TagRequest("painter-1", "png", 92));
    tagger.receipt(t.index());
    tagged = dir.resolve("tagged.png");
    Files.write(tagged, t.output());
    copy = dir.resolve("shared-copy.jpg");
    Files.write(copy, reencode(t.output()));
    untagged = dir.resolve("holiday-photo.png");
    Files.write(untagged, resource("kodim20.png"));
    server = HallmarkServer.start(new ServerConfig("127.0.0.1", 0, TOKEN, 32 << 20, 2, List.of(key), ledger, tagger,
        List.of(), List.of(), null));

    browser = HeadlessChromium.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (ledger != null) {
      ledger.close();
    }
  }

  static byte[] resource(String name) throws Exception {
    try (InputStream in = VerificationPageBrowserTest.class.getResourceAsStream("/browser/" + name)) {
      return in.readAllBytes();
    }
  }

  static byte[] reencode(byte[] png) throws Exception {
    BufferedImage img = Images.read(png, "tagged.png");
    int w = (int) Math.round(img.getWidth() * 0.75);
    int h = (int) Math.round(img.getHeight() * 0.75);
    BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    small.getGraphics().drawImage(img.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    return Images.encode(small, Images.Format.JPEG, 75);
  }

  /** Loads the page, optionally enters the token, uploads {@code file}, and waits for the verdict. */
  static void upload(Path file, String token) {
    browser.get(server.url());
    assertEquals("Hallmark: where does this file come from?", browser.getTitle());
    if (token != null) {
      browser.findElement(By.cssSelector("details.token summary")).click();
      browser.findElement(By.id("token")).sendKeys(token);
    }
    browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    new WebDriverWait(browser, Duration.ofSeconds(90)).until(d -> {
      String state = d.findElement(By.id("status")).getAttribute("data-state");
      return "done".equals(state) || "error".equals(state);
    });
    assertEquals("done", browser.findElement(By.id("status")).getAttribute("data-state"),
        browser.findElement(By.id("status")).getText());
    assertTrue(browser.findElement(By.id("result")).isDisplayed());
    screenshot(file.getFileName().toString());
  }

  /** Saves what the page showed under target/browser-screenshots for people to look at. */
  static void screenshot(String name) {
    try {
      Path out = Path.of("target", "browser-screenshots");
      Files.createDirectories(out);
      browser.manage().window().setSize(new org.openqa.selenium.Dimension(1000, 1400));
      byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
      Files.write(out.resolve(name + ".png"), png);
    } catch (Exception e) {
      System.out.println("could not save a screenshot of " + name + ": " + e);
    }
  }

  static String signal(String name) {
    return browser.findElement(By.cssSelector("#signals li[data-signal='" + name + "']")).getAttribute("data-status");
  }

  static String signalText(String name) {
    return browser.findElement(By.cssSelector("#signals li[data-signal='" + name + "']")).getText();
  }

  @Test
  void taggedImageShowsItsOriginAndEveryPieceOfEvidence() {
    upload(tagged, null);
    WebElement verdict = browser.findElement(By.id("verdict"));
    assertEquals("Origin established", verdict.getText());
    assertEquals("true", verdict.getAttribute("data-established"));
    String summary = browser.findElement(By.id("summary")).getText();
    assertTrue(summary.contains("model painter-1") && summary.contains("byte-identical"), summary);
    assertEquals("ok", signal("reference"));
    assertEquals("na", signal("watermark"), "no token: the secret-keyed watermark is not tested");
    assertEquals("ok", signal("record"));
    assertEquals("ok", signal("signature"));
    assertEquals("ok", signal("proof"));
    assertEquals("ok", signal("hash"));
    assertTrue(signalText("proof").contains("browser.test/log"), signalText("proof"));
  }

  @Test
  void reencodedCopyIsTracedBackAndShownAsAnEditedCopy() {
    upload(copy, TOKEN);
    assertEquals("Origin established", browser.findElement(By.id("verdict")).getText());
    String summary = browser.findElement(By.id("summary")).getText();
    assertTrue(summary.contains("re-encoded or edited since"), summary);
    assertEquals("na", signal("reference"), "metadata was stripped");
    assertEquals("ok", signal("watermark"));
    assertTrue(signalText("watermark").contains("Found"), signalText("watermark"));
    assertEquals("ok", signal("record"));
    assertEquals("ok", signal("signature"));
    assertEquals("ok", signal("proof"));
    assertEquals("partial", signal("hash"));
    assertTrue(signalText("hash").contains("re-encoded copy"), signalText("hash"));
  }

  @Test
  void untaggedPhotoShowsThatNothingWasFound() {
    upload(untagged, TOKEN);
    WebElement verdict = browser.findElement(By.id("verdict"));
    assertEquals("No Hallmark provenance found", verdict.getText());
    assertEquals("false", verdict.getAttribute("data-established"));
    assertEquals("fail", signal("watermark"));
    assertEquals("fail", signal("record"));
    assertEquals("na", signal("signature"));
    assertEquals("na", signal("proof"));
  }
}
