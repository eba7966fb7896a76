package dev.hallmark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar that {@code ./hallmark} runs: checks that packaging kept what the commands need
 * (service files, Bouncy Castle without its jar signatures, resources) by running real commands in a
 * child JVM.
 */
class PackagedJarTest {
  @TempDir Path home;

  @Test
  void versionAndHelp() throws Exception {
    PackagedJar v = PackagedJar.run(Map.of(), null, "--version");
    assertEquals(0, v.exitCode, v.toString());
    assertTrue(v.out.startsWith("hallmark "), v.out);
    PackagedJar none = PackagedJar.run(Map.of(), null);
    assertEquals(2, none.exitCode, none.toString());
  }

  @Test
  void demoRuns() throws Exception {
    PackagedJar demo = PackagedJar.run(Map.of("HALLMARK_HOME", home.toString()), null, "demo");
    assertEquals(0, demo.exitCode, demo.toString());
    assertTrue(demo.out.contains("Next:"), demo.out);
    // The demo opens ledgers (Lucene, which uses native memory access on newer JDKs): the packaged
    // jar must not print the JDK's native-access or Lucene's vectorization warnings on any JDK.
    assertTrue(!demo.err.contains("WARNING"), demo.err);
  }

  @Test
  void encryptedSigningKeyThroughThePackagedJar() throws Exception {
    Map<String, String> env = Map.of("HALLMARK_HOME", home.toString(), "PASS", "integration pass");
    PackagedJar created = PackagedJar.run(env, null, "keys", "new", "--type", "signing", "--name", "ops", "--passphrase-env", "PASS");
    assertEquals(0, created.exitCode, created.toString());
    PackagedJar pub = PackagedJar.run(env, null, "keys", "public", "--name", "ops");
    assertEquals(0, pub.exitCode, pub.toString());
    assertTrue(pub.out.startsWith("ops+"), pub.out);
    PackagedJar dup = PackagedJar.run(env, null, "keys", "new", "--type", "watermark", "--name", "ops");
    assertEquals(3, dup.exitCode, dup.toString());
    assertTrue(dup.err.startsWith("hallmark: "), dup.err);
  }
}
