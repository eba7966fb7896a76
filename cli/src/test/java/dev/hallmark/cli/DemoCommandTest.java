package dev.hallmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path userHome;

  @Test
  void demoRunsTheTourInATemporaryHomeAndLeavesTheUsersKeyringAlone() {
    CliRun demo = CliRun.run(userHome, "demo");
    assertEquals(0, demo.exitCode, demo.toString());
    assertTrue(demo.out.contains("created watermark key"), demo.out);
    assertTrue(demo.out.matches("(?s).*demo-signer\\+[0-9a-f]{8}\\+.*"), demo.out);
    assertTrue(demo.out.contains("generated text: WATERMARKED"), demo.out);
    assertTrue(demo.out.contains("a human paragraph: not watermarked"), demo.out);
    assertTrue(demo.out.matches("(?s).*\\| demo\\.hallmark\\.local/log\\n   \\| 2\\n.*"), "checkpoint of 2 entries:\n" + demo.out);
    assertTrue(demo.out.matches("(?s).*8 documents: 4 kept, 4 removed, 0 errors.*"), demo.out);
    assertTrue(demo.out.matches("(?s).*shared-copy\\.jpg: ORIGIN ESTABLISHED.*re-encoded or edited since.*"), demo.out);
    assertTrue(demo.out.matches("(?s).*holiday\\.png: ORIGIN NOT ESTABLISHED.*No Hallmark provenance found.*"), demo.out);
    assertTrue(demo.out.contains("Next: what to look at now"), demo.out);
    assertFalse(Files.exists(userHome.resolve(".hallmark")), "demo must not touch ~/.hallmark");
    String tmp = demo.out.replaceFirst("(?s).*temporary home: ([^,]+),.*", "$1");
    assertFalse(Files.exists(Path.of(tmp)), "temporary home deleted: " + tmp);
  }

  @Test
  void keepLeavesTheFilesForInspection() throws Exception {
    CliRun demo = CliRun.run(userHome, "demo", "--keep");
    assertEquals(0, demo.exitCode, demo.toString());
    Path home = Path.of(demo.out.replaceFirst("(?s).*The demo's files are kept in (\\S+).*", "$1"));
    try {
      assertTrue(Files.exists(home.resolve("work/landscape.tagged.png.proof")));
      assertTrue(Files.exists(home.resolve("cleaned/report.html")));
    } finally {
      try (var s = Files.walk(home)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void syntheticPicturesHaveEnoughDetailForThePerceptualHashAndDifferBySeed() {
    ImageFingerprint a = ImageFingerprint.of(DemoCommand.landscape(640, 448, 1));
    ImageFingerprint b = ImageFingerprint.of(DemoCommand.landscape(640, 448, 2));
    assertTrue(a.quality() >= ImageFingerprint.MIN_USEFUL_QUALITY, "quality " + a.quality());
    assertTrue(a.distance(b) > 31, "different seeds give different pictures: distance " + a.distance(b));
    assertEquals(0, a.distance(ImageFingerprint.of(DemoCommand.landscape(640, 448, 1))));
  }
}
