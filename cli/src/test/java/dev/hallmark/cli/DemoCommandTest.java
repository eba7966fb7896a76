package dev.hallmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path userHome;

  @Test
  void demoRunsInATemporaryHomeAndLeavesTheUsersKeyringAlone() {
    CliRun demo = CliRun.run(userHome, "demo");
    assertEquals(0, demo.exitCode, demo.toString());
    assertTrue(demo.out.contains("created watermark key"), demo.out);
    assertTrue(demo.out.matches("(?s).*demo-signer\\+[0-9a-f]{8}\\+.*"), demo.out);
    assertFalse(Files.exists(userHome.resolve(".hallmark")), "demo must not touch ~/.hallmark");
    String tmp = demo.out.replaceFirst("(?s).*temporary home: ([^)]+)\\).*", "$1");
    assertFalse(Files.exists(Path.of(tmp)), "temporary home deleted: " + tmp);
  }
}
