package dev.hallmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path userHome;

  /**
   * Parameters that generate no usable watermark are refused when the key is made: --gamma 1e-9 and
   * --delta 0 made keys whose text was byte-identical to unwatermarked text (exit 0), and --layers on a
   * kgw key was dropped without a word.
   */
  /**
   * keys public printed the .pub file as it was: a replaced one (another key's) was published as this
   * key's. It is now checked against the private key, an encrypted one with --passphrase-env.
   */
  @Test
  void publicChecksThePublicFileAgainstThePrivateKey() throws Exception {
    assertEquals(0, CliRun.run(userHome, "keys", "new", "--type", "signing", "--name", "a").exitCode);
    assertEquals(0, CliRun.run(userHome, "keys", "new", "--type", "signing", "--name", "b").exitCode);
    assertEquals(0, CliRun.run(userHome, Map.of("PW", "pw"), "keys", "new", "--type", "signing", "--name", "c",
        "--passphrase-env", "PW").exitCode);
    Path keys = userHome.resolve(".hallmark").resolve("keys");
    CliRun ok = CliRun.run(userHome, "keys", "public", "--name", "a");
    assertEquals(0, ok.exitCode, ok.toString());
    // b's public key under a's name, well formed (its key id computed for the name a).
    CliRun bAsA = CliRun.run(userHome, "keys", "public", "--name", "b", "--note-name", "a");
    assertEquals(0, bAsA.exitCode, bAsA.toString());
    Files.writeString(keys.resolve("a.signing.pub"), bAsA.out);
    CliRun swapped = CliRun.run(userHome, "keys", "public", "--name", "a");
    assertEquals(3, swapped.exitCode, swapped.toString());
    assertTrue(swapped.err.contains("does not match the private key"), swapped.err);
    CliRun enc = CliRun.run(userHome, "keys", "public", "--name", "c");
    assertEquals(0, enc.exitCode, enc.toString());
    assertTrue(enc.err.contains("without checking"), enc.err);
    CliRun checked = CliRun.run(userHome, Map.of("PW", "pw"), "keys", "public", "--name", "c", "--passphrase-env", "PW");
    assertEquals(0, checked.exitCode, checked.toString());
    assertEquals(enc.out, checked.out);
    assertTrue(checked.err.isEmpty(), checked.err);
  }

  @Test
  void watermarkKeysThatCannotMarkAnythingAreRefused() {
    for (String[] bad : new String[][] {{"--gamma", "1e-9"}, {"--gamma", "0.999"}, {"--delta", "0"}, {"--layers", "5"}}) {
      CliRun r = CliRun.run(userHome, "keys", "new", "--type", "watermark", "--name", "bad", bad[0], bad[1]);
      assertEquals(2, r.exitCode, String.join(" ", bad) + ": " + r);
      assertTrue(r.err.startsWith("hallmark: ") && r.err.contains(bad[0]), r.err);
    }
    CliRun ok = CliRun.run(userHome, "keys", "new", "--type", "watermark", "--name", "fine", "--gamma", "0.5", "--delta", "3");
    assertEquals(0, ok.exitCode, ok.toString());
    CliRun gen = CliRun.run(userHome, "keys", "new", "--type", "watermark", "--name", "anyk", "--scheme", "any");
    assertEquals(0, gen.exitCode, gen.toString());
    CliRun t = CliRun.run(userHome, "text", "generate", "--key", "anyk", "--scheme", "kgw", "--delta", "0", "--tokens", "20");
    assertEquals(2, t.exitCode, t.toString());
  }

  @Test
  void createsListsAndExportsKeys() throws Exception {
    CliRun wm = CliRun.run(userHome, "keys", "new", "--type", "watermark", "--name", "gen", "--json");
    assertEquals(0, wm.exitCode, wm.toString());
    JsonNode w = JSON.readTree(wm.out);
    assertEquals("watermark", w.get("type").asText());
    assertTrue(w.get("keyId").asText().matches("[0-9a-f]{16}"), wm.out);
    assertTrue(Files.exists(userHome.resolve(".hallmark/keys/gen.watermark")), "default home is ~/.hallmark");

    CliRun sk = CliRun.run(userHome, Map.of("PASS", "s3cret pass"),
        "keys", "new", "--type", "signing", "--name", "ops", "--passphrase-env", "PASS");
    assertEquals(0, sk.exitCode, sk.toString());
    assertTrue(sk.out.contains("encrypted"), sk.out);

    CliRun list = CliRun.run(userHome, "keys", "list", "--json");
    assertEquals(0, list.exitCode, list.toString());
    JsonNode arr = JSON.readTree(list.out);
    assertEquals(2, arr.size());
    assertEquals("gen", arr.get(0).get("name").asText());
    assertEquals("ops", arr.get(1).get("name").asText());
    assertTrue(arr.get(1).get("encrypted").asBoolean());

    CliRun text = CliRun.run(userHome, "keys", "list");
    assertTrue(text.out.startsWith("NAME"), text.out);
    assertTrue(text.out.contains(w.get("keyId").asText()), text.out);

    CliRun pub = CliRun.run(userHome, "keys", "public", "--name", "ops");
    assertEquals(0, pub.exitCode, pub.toString());
    String vkey = pub.out.trim();
    assertTrue(vkey.matches("ops\\+[0-9a-f]{8}\\+A[A-Za-z0-9+/]{43}"), vkey);
    assertEquals(vkey.split("\\+")[1], arr.get(1).get("keyId").asText());

    CliRun origin = CliRun.run(userHome, "keys", "public", "--name", "ops", "--note-name", "log.example/one", "--json");
    assertEquals(0, origin.exitCode, origin.toString());
    JsonNode o = JSON.readTree(origin.out);
    assertTrue(o.get("verifierKey").asText().startsWith("log.example/one+"), origin.out);
    assertEquals(vkey.substring(vkey.lastIndexOf('+')), o.get("verifierKey").asText().substring(o.get("verifierKey").asText().lastIndexOf('+')));
  }

  @Test
  void homeComesFromOptionThenVariableThenUserHome(@TempDir Path a, @TempDir Path b) {
    assertEquals(0, CliRun.run(userHome, "--home", a.toString(), "keys", "new", "--type", "watermark", "--name", "x").exitCode);
    assertTrue(Files.exists(a.resolve("keys/x.watermark")));
    assertEquals(0, CliRun.run(userHome, Map.of("HALLMARK_HOME", b.toString()), "keys", "new", "--type", "watermark", "--name", "y").exitCode);
    assertTrue(Files.exists(b.resolve("keys/y.watermark")));
    assertEquals(0, CliRun.run(userHome, Map.of("HALLMARK_HOME", b.toString()), "keys", "new", "--home", a.toString(), "--type", "watermark", "--name", "z").exitCode);
    assertTrue(Files.exists(a.resolve("keys/z.watermark")));
  }

  @Test
  void duplicateNameFailsAndOverwritesNothing() throws Exception {
    assertEquals(0, CliRun.run(userHome, "keys", "new", "--type", "watermark", "--name", "k").exitCode);
    Path f = userHome.resolve(".hallmark/keys/k.watermark");
    byte[] before = Files.readAllBytes(f);
    CliRun again = CliRun.run(userHome, "keys", "new", "--type", "signing", "--name", "k");
    assertEquals(ExitCodes.BAD_INPUT, again.exitCode, again.toString());
    assertOneLineError(again, "already exists");
    assertEquals(new String(before), new String(Files.readAllBytes(f)));
  }

  @Test
  void wrongAndMissingPassphrase() {
    assertEquals(0, CliRun.run(userHome, Map.of("P", "right"), "keys", "new", "--type", "signing", "--name", "s", "--passphrase-env", "P").exitCode);
    // keys public needs no passphrase
    assertEquals(0, CliRun.run(userHome, "keys", "public", "--name", "s").exitCode);
    CliRun unset = CliRun.run(userHome, "keys", "new", "--type", "signing", "--name", "t", "--passphrase-env", "NOPE");
    assertEquals(ExitCodes.USAGE, unset.exitCode, unset.toString());
    assertOneLineError(unset, "NOPE");
    assertFalse(Files.exists(userHome.resolve(".hallmark/keys/t.signing.pem")));
    CliRun wmPass = CliRun.run(userHome, Map.of("P", "x"), "keys", "new", "--type", "watermark", "--name", "w", "--passphrase-env", "P");
    assertEquals(ExitCodes.USAGE, wmPass.exitCode, wmPass.toString());
  }

  @Test
  void missingKeyWrongTypeAndBadArguments() {
    CliRun missing = CliRun.run(userHome, "keys", "public", "--name", "ghost");
    assertEquals(ExitCodes.BAD_INPUT, missing.exitCode, missing.toString());
    assertOneLineError(missing, "no signing key named 'ghost'");

    assertEquals(0, CliRun.run(userHome, "keys", "new", "--type", "watermark", "--name", "w").exitCode);
    CliRun wrongType = CliRun.run(userHome, "keys", "public", "--name", "w");
    assertEquals(ExitCodes.BAD_INPUT, wrongType.exitCode, wrongType.toString());
    assertOneLineError(wrongType, "watermark key");

    CliRun badName = CliRun.run(userHome, "keys", "new", "--type", "watermark", "--name", "../../etc/passwd");
    assertEquals(ExitCodes.BAD_INPUT, badName.exitCode, badName.toString());
    assertOneLineError(badName, "invalid key name");

    CliRun badType = CliRun.run(userHome, "keys", "new", "--type", "rsa", "--name", "r");
    assertEquals(ExitCodes.USAGE, badType.exitCode, badType.toString());
    CliRun noName = CliRun.run(userHome, "keys", "new", "--type", "watermark");
    assertEquals(ExitCodes.USAGE, noName.exitCode, noName.toString());
    CliRun noCommand = CliRun.run(userHome);
    assertEquals(ExitCodes.USAGE, noCommand.exitCode, noCommand.toString());
  }

  @Test
  void corruptKeyFileIsBadInputWithoutStackTrace() throws Exception {
    assertEquals(0, CliRun.run(userHome, "keys", "new", "--type", "watermark", "--name", "w").exitCode);
    Files.writeString(userHome.resolve(".hallmark/keys/w.watermark"), "hallmark-watermark-key\nversion: 9\n");
    CliRun list = CliRun.run(userHome, "keys", "list");
    assertEquals(ExitCodes.BAD_INPUT, list.exitCode, list.toString());
    assertOneLineError(list, "newer than this build reads");
    CliRun verbose = CliRun.run(userHome, "--verbose", "keys", "list");
    assertTrue(verbose.err.contains("at dev.hallmark.core.Keyring"), verbose.err);
    // One bad file hid every other key: they are listed, the bad one named, and the exit code is 3.
    assertEquals(0, CliRun.run(userHome, "keys", "new", "--type", "watermark", "--name", "good").exitCode);
    CliRun some = CliRun.run(userHome, "keys", "list");
    assertEquals(ExitCodes.BAD_INPUT, some.exitCode, some.toString());
    assertTrue(some.out.contains("good") && !some.out.contains("w "), some.out);
    assertTrue(some.err.contains("newer than this build reads"), some.err);
  }

  @Test
  void emptyKeyringListsNothing() {
    CliRun list = CliRun.run(userHome, "keys", "list");
    assertEquals(0, list.exitCode);
    assertEquals("", list.out);
    assertTrue(list.err.contains("no keys"), list.err);
    assertEquals("[ ]", CliRun.run(userHome, "keys", "list", "--json").out.trim());
  }

  @Test
  void helpAndVersion() {
    CliRun help = CliRun.run(userHome, "--help");
    assertEquals(0, help.exitCode);
    assertTrue(help.out.contains("keys") && help.out.contains("demo"), help.out);
    CliRun version = CliRun.run(userHome, "--version");
    assertEquals(0, version.exitCode);
    assertTrue(version.out.startsWith("hallmark "), version.out);
  }

  static void assertOneLineError(CliRun run, String fragment) {
    String[] lines = run.err.strip().split("\n");
    assertTrue(lines[0].startsWith("hallmark: "), run.toString());
    assertTrue(lines[0].contains(fragment), run.toString());
    assertFalse(run.err.contains("\tat "), "no stack trace without --verbose: " + run);
  }
}
