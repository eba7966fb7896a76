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
  void onnxModelAndTokenizerLoadWithoutWarnings() throws Exception {
    // ONNX Runtime and the Rust tokenizers load native libraries from inside the shaded jar: no JDK
    // native-access warning, no logging noise, on any JDK.
    Path model = home.resolve("model");
    new dev.hallmark.models.onnx.RandomDecoder(1, 16, 2, 200, 64, true, 1).write(model);
    Map<String, String> env = Map.of("HALLMARK_HOME", home.toString());
    assertEquals(0, PackagedJar.run(env, null, "keys", "new", "--type", "watermark", "--name", "w").exitCode);
    PackagedJar g = PackagedJar.run(env, null, "text", "generate", "--model", model.toString(), "--key", "w",
        "--tokens", "20", "--seed", "1", "--prompt", dev.hallmark.models.onnx.RandomDecoder.word(5));
    assertEquals(0, g.exitCode, g.toString());
    assertTrue(!g.err.contains("WARNING") && !g.err.contains("SLF4J"), g.err);
    java.nio.file.Path text = home.resolve("out.txt");
    java.nio.file.Files.writeString(text, g.out);
    PackagedJar d = PackagedJar.run(env, null, "text", "detect", "--tokenizer", model.resolve("tokenizer.json").toString(),
        text.toString());
    assertTrue(d.exitCode == 0 || d.exitCode == 1, d.toString());
    assertTrue(!d.err.contains("WARNING") && !d.err.contains("SLF4J"), d.err);
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
