package dev.hallmark.tests.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.cli.Cli;
import dev.hallmark.cli.CliEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * clean's report.html in a real headless Chromium: the removed documents are listed with their
 * reasons and a working link to their record, the charts have readable titles and axes, and the
 * p-value charts draw the alpha line. The charts are checked on the rendered pixels: each figure's
 * screenshot must hold bar-coloured pixels, and the text p-value chart the alpha line's colour.
 */
class CleanReportBrowserTest {

  @TempDir static Path dir;
  static WebDriver browser;
  static Path out;
  static int watermarked;

  static String cli(Path home, String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    SecureRandom r;
    try {
      r = SecureRandom.getInstance("SHA1PRNG");
    } catch (java.security.NoSuchAlgorithmException x) {
      throw new IllegalStateException(x);
    }
    r.setSeed(20261203L);
    int code = Cli.newCommandLine(new PrintWriter(o, true), new PrintWriter(e, true),
        new CliEnvironment(Map.of(), home, () -> r)).execute(args);
    assertEquals(0, code, String.join(" ", args) + "\n" + o + e);
    return o.toString();
  }

  @BeforeAll
  static void cleanACorpusAndOpenItsReport() throws Exception {
    HeadlessChromium.requireOrSkip();
    Path home = Files.createDirectories(dir.resolve("home"));
    cli(home, "--home", home.resolve(".hallmark").toString(), "keys", "new", "--type", "watermark", "--name", "gen");
    String generated = cli(home, "--home", home.resolve(".hallmark").toString(), "text", "generate", "--key", "gen",
        "--scheme", "kgw", "--count", "6", "--tokens", "300", "--seed", "7");
    List<String> lines = new ArrayList<>(generated.lines().filter(l -> !l.isBlank()).toList());
    watermarked = lines.size();
    String[] human = {
      "The harbour office opens at seven and the ferries leave on the hour until dusk, weather permitting.",
      "Volunteers cleared two tonnes of driftwood from the north beach over the weekend, then went for tea.",
      "Letters to the editor should be short, signed and sent before Thursday noon to the usual address.",
      "The lifeboat crew will demonstrate a rescue drill in the harbour on Sunday afternoon at three."};
    for (int i = 0; i < human.length; i++) {
      lines.add("{\"id\":\"human-" + i + "\",\"text\":\"" + human[i] + "\"}");
    }
    Path corpus = dir.resolve("corpus.jsonl");
    Files.write(corpus, lines, StandardCharsets.UTF_8);
    out = dir.resolve("cleaned");
    cli(home, "--home", home.resolve(".hallmark").toString(), "clean", "--input", corpus.toString(), "--output",
        out.toString(), "--progress", "none");

    browser = HeadlessChromium.start(dir, "--window-size=1200,2400");
    browser.get(out.resolve("report.html").toUri().toString());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void removedDocumentsAreListedWithReasonsAndALinkToTheirRecord() {
    List<WebElement> rows = browser.findElements(By.cssSelector("table.removed tr"));
    assertEquals(watermarked + 1, rows.size(), "a header and one row per removed document");
    for (WebElement row : rows.subList(1, rows.size())) {
      List<WebElement> cells = row.findElements(By.tagName("td"));
      assertTrue(cells.get(2).getText().contains("watermark"), cells.get(2).getText());
      WebElement link = cells.get(3).findElement(By.tagName("a"));
      String href = link.getAttribute("href");
      assertTrue(href.startsWith("file:") && href.contains("/removed/"), href);
      assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(href))), "the link opens the removed record: " + href);
      assertFalse(cells.get(0).getText().startsWith("human-"), "a human line was listed as removed");
    }
  }

  @Test
  void chartsHaveReadableTitlesAxesAndTheAlphaLine() throws Exception {
    List<WebElement> figures = browser.findElements(By.cssSelector("figure.chart"));
    assertEquals(4, figures.size());
    String page = browser.findElement(By.tagName("body")).getText();
    assertTrue(page.contains("Text watermark: smallest p-value per document"), page);
    assertTrue(page.contains("Ledger image match: perceptual-hash distance"), page);
    assertFalse(page.contains("textPValue"), "field names are not titles");
    assertTrue(page.contains("documents") && page.contains("p-value (bins by powers of ten)"), "axis labels");
    WebElement text = browser.findElement(By.cssSelector("figure.chart[data-histogram='textPValue']"));
    assertEquals(1, text.findElements(By.cssSelector("line.alpha")).size(), "the alpha line on the text p-value chart");
    assertEquals(1, browser.findElements(By.cssSelector("figure.chart[data-histogram='imagePValue'] line.alpha")).size());
    assertEquals(0, browser.findElements(By.cssSelector("figure.chart[data-histogram='textJaccard'] line.alpha")).size());

    // On the pixels: every chart was drawn (axis and tick text), the text p-value chart has its bars
    // (every document was scored) and the dashed alpha line in its colour.
    for (WebElement f : figures) {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.getScreenshotAs(OutputType.BYTES)));
      assertTrue(img.getWidth() >= 400 && img.getHeight() >= 250, "figure rendered at " + img.getWidth() + "x" + img.getHeight());
      assertTrue(count(img, 0x44, 0x44, 0x44, 40) > 100, "axis lines and labels drawn in " + f.getAttribute("data-histogram"));
    }
    BufferedImage chart = ImageIO.read(new ByteArrayInputStream(text.getScreenshotAs(OutputType.BYTES)));
    Files.write(Path.of("target", "clean-report-text-pvalue.png"), text.getScreenshotAs(OutputType.BYTES));
    assertTrue(count(chart, 0x3b, 0x6e, 0xa8, 30) > 200, "bars drawn in the text p-value chart");
    assertTrue(count(chart, 0xb0, 0x00, 0x20, 40) > 40, "the alpha line drawn in the text p-value chart");
  }

  /** Pixels within {@code tol} of the colour on every channel. */
  static int count(BufferedImage img, int r, int g, int b, int tol) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        if (Math.abs(((p >> 16) & 0xff) - r) <= tol && Math.abs(((p >> 8) & 0xff) - g) <= tol && Math.abs((p & 0xff) - b) <= tol) {
          n++;
        }
      }
    }
    return n;
  }
}
