package dev.hallmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.hallmark.core.Terminal;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.cli.tag.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rough edges of issue #18, each as a user met it. */
class RoughEdgesTest {
  @TempDir Path dir;

  CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = dir.resolve("home").toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.run(dir, all);
  }

  CliRun runWithStdin(byte[] stdin, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin));
    try {
      return run(args);
    } finally {
      System.setIn(saved);
    }
  }

  static void oneLineError(CliRun r, int code) {
    assertEquals(code, r.exitCode, r.toString());
    assertTrue(r.err.startsWith("hallmark: "), r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
  }

  @Test
  void verifyCorruptPngIsBadInput() throws Exception {
    Path photo = Fixtures.photo(dir, "kodim07.png");
    Path broken = dir.resolve("broken.png");
    Files.write(broken, Arrays.copyOf(Files.readAllBytes(photo), 300));
    CliRun r = run("verify", broken.toString());
    oneLineError(r, 3);
    assertTrue(r.err.contains("cannot be decoded"), r.err);
  }

  @Test
  void verifyAFolderIsBadInputNotNoSuchFile() {
    CliRun r = run("verify", dir.toString());
    oneLineError(r, 3);
    assertTrue(r.err.contains("is a folder"), r.err);
  }

  @Test
  void verifyAndImageDetectReadStdin() throws Exception {
    CliRun v = runWithStdin("A short note written by a person.".getBytes(StandardCharsets.UTF_8), "verify", "--no-watermark", "-");
    assertEquals(1, v.exitCode, v.toString());
    assertTrue(v.out.startsWith("stdin: ORIGIN NOT ESTABLISHED"), v.out);
    assertEquals(0, run("keys", "new", "--type", "watermark", "--name", "gen").exitCode);
    byte[] png = Files.readAllBytes(Fixtures.photo(dir, "kodim20.png"));
    CliRun d = runWithStdin(png, "image", "detect", "-");
    assertEquals(1, d.exitCode, d.toString());
    assertTrue(d.out.startsWith("stdin: no watermark detected"), d.out);
  }

  @Test
  void verifyTakesALogKeyFileLikeTheLedgerCommands() throws Exception {
    assertEquals(0, run("keys", "new", "--type", "signing", "--name", "logkey").exitCode);
    CliRun pub = run("keys", "public", "--name", "logkey", "--note-name", "example.com/log");
    Path vkey = dir.resolve("log.vkey");
    Files.writeString(vkey, pub.out);
    Path text = dir.resolve("note.txt");
    Files.writeString(text, "A short note written by a person.");
    CliRun v = run("verify", "--no-watermark", "--log-key", vkey.toString(), text.toString());
    assertEquals(1, v.exitCode, v.toString());
    assertTrue(v.out.contains("ORIGIN NOT ESTABLISHED"), v.out);
  }

  @Test
  void ledgerEdges() throws Exception {
    assertEquals(0, run("keys", "new", "--type", "signing", "--name", "logkey").exitCode);
    Path ledger = dir.resolve("ledger");
    CliRun init = run("ledger", "init", "--dir", ledger.toString(), "--origin", "example.com/log", "--signing-key", "logkey");
    assertEquals(0, init.exitCode, init.toString());
    assertTrue(init.out.endsWith("\n") && init.out.strip().lines().count() == 1, "one line with its newline: " + init.out);
    Path vkey = dir.resolve("log.vkey");
    Files.writeString(vkey, init.out);

    // A short text registered by its SHA-256 alone is found by 'lookup --text'.
    Path doc = dir.resolve("doc.txt");
    Files.writeString(doc, "The harbour office opens at seven.\n");
    String sha = dev.hallmark.core.Hex.encode(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(doc)));
    Path rec = dir.resolve("r.json");
    Files.writeString(rec, "{\"kind\":\"text\",\"contentSha256\":\"" + sha + "\",\"model\":\"demo\"}");
    assertEquals(0, run("keys", "new", "--type", "signing", "--name", "producer").exitCode);
    CliRun add = run("ledger", "add", "--dir", ledger.toString(), "--signing-key", "producer", rec.toString());
    assertEquals(0, add.exitCode, add.toString());
    CliRun look = run("ledger", "lookup", "--dir", ledger.toString(), "--text", doc.toString(), "--log-key", vkey.toString());
    assertEquals(0, look.exitCode, look.toString());
    assertTrue(look.out.startsWith("0\ttext\t" + sha), look.out);

    // A picture given where the log key belongs: a clear one-line error, not "Input length = 1".
    Path photo = Fixtures.photo(dir, "kodim07.png");
    CliRun get = run("ledger", "get", "--dir", ledger.toString(), "--index", "0", "--log-key", photo.toString());
    oneLineError(get, 3);
    assertTrue(get.err.contains("not a verifier key file") && !get.err.contains("Input length"), get.err);
  }

  @Test
  void stderrTerminalDetection() {
    assertTrue(Terminal.isTerminalDevice("/dev/pts/3"));
    assertTrue(Terminal.isTerminalDevice("/dev/tty1"));
    assertFalse(Terminal.isTerminalDevice("pipe:[12345]"));
    assertFalse(Terminal.isTerminalDevice("/tmp/err.log"));
  }
}
