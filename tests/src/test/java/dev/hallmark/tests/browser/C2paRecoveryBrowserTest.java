package dev.hallmark.tests.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.c2pa.C2pa;
import dev.hallmark.c2pa.TestPki;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The verification page shows Content Credentials recovered through the watermark: a JPEG tagged with
 * a C2PA manifest, stripped of all metadata and re-encoded at 0.75x, is uploaded (with the operator
 * token, so the watermark is read) and the page's C2PA signal says the manifest was recovered from the
 * ledger record. Skipped like {@link VerificationPageBrowserTest} when Chromium is absent.
 */
class C2paRecoveryBrowserTest {
  static final String TOKEN = "browser-test-token-0123456789";
  @TempDir static Path dir;
  static Ledger ledger;
  static HallmarkServer server;
  static WebDriver browser;
  static Path copy;

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.requireOrSkip();
    long seed = 1616L;
    System.out.println("C2paRecoveryBrowserTest seed " + seed);
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
    TagResult t = tagger.tagImage(VerificationPageBrowserTest.resource("kodim07.png"), "kodim07.png",
        new TagRequest("painter-1", "jpeg", 92).withC2pa(TestPki.create("ES256", seed).signer()));
    tagger.receipt(t.index());
    copy = dir.resolve("stripped-copy.jpg");
    Files.write(copy, VerificationPageBrowserTest.reencode(t.output()));
    assertTrue(C2pa.manifestStore(Files.readAllBytes(copy)).isEmpty(), "the copy must carry no manifest");
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

  @Test
  void strippedReencodedCopyShowsItsRecoveredContentCredentials() {
    browser.get(server.url());
    browser.findElement(By.cssSelector("details.token summary")).click();
    browser.findElement(By.id("token")).sendKeys(TOKEN);
    browser.findElement(By.id("file")).sendKeys(copy.toAbsolutePath().toString());
    new WebDriverWait(browser, Duration.ofSeconds(90)).until(d -> {
      String state = d.findElement(By.id("status")).getAttribute("data-state");
      return "done".equals(state) || "error".equals(state);
    });
    assertEquals("done", browser.findElement(By.id("status")).getAttribute("data-state"));
    assertEquals("Origin established", browser.findElement(By.id("verdict")).getText());
    String c2pa = browser.findElement(By.cssSelector("#signals li[data-signal='c2pa']")).getText();
    assertTrue(c2pa.contains("recovered from the ledger record") && c2pa.contains("trainedAlgorithmicMedia")
        && c2pa.contains("Hallmark Test Signer"), c2pa);
    assertEquals("ok", browser.findElement(By.cssSelector("#signals li[data-signal='c2pa']")).getAttribute("data-status"));
  }
}
