package dev.hallmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.hallmark.core.Hex;
import dev.hallmark.core.Keyring;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every key-handling command, on success and failure paths and with --verbose, and greps all
 * output for the secrets the keyring holds, in every encoding they could leak in.
 */
class SecretLeakTest {
  static final String PASSPHRASE = "pass-phrase-that-must-not-leak-7f3a";
  @TempDir Path userHome;

  @Test
  void noSecretAppearsInAnyOutput() throws Exception {
    Map<String, String> env = Map.of("PASS", PASSPHRASE, "WRONG", "not-the-passphrase-91c2");
    List<CliRun> runs = new ArrayList<>();
    String[][] commands = {
      {"keys", "new", "--type", "watermark", "--name", "wm"},
      {"keys", "new", "--type", "watermark", "--name", "wm2", "--json"},
      {"keys", "new", "--type", "signing", "--name", "plain"},
      {"keys", "new", "--type", "signing", "--name", "enc", "--passphrase-env", "PASS", "--json"},
      {"keys", "new", "--type", "signing", "--name", "enc", "--passphrase-env", "PASS"},
      {"--verbose", "keys", "new", "--type", "watermark", "--name", "wm"},
      {"keys", "list"},
      {"keys", "list", "--json"},
      {"keys", "public", "--name", "plain"},
      {"keys", "public", "--name", "enc", "--json"},
      {"--verbose", "keys", "public", "--name", "wm"},
      {"--verbose", "keys", "public", "--name", "missing"},
    };
    for (String[] c : commands) {
      runs.add(CliRun.run(userHome, env, c));
    }
    Keyring keyring = Keyring.open(userHome.resolve(".hallmark"));
    List<byte[]> secrets = new ArrayList<>();
    secrets.add(keyring.watermarkKey("wm").secretBytes());
    secrets.add(keyring.watermarkKey("wm2").secretBytes());
    secrets.add(seedOf(keyring.directory().resolve("plain.signing.pem")));

    // Corrupt a key so error paths that read secret files run too.
    Path wm = keyring.directory().resolve("wm.watermark");
    Files.writeString(wm, Files.readString(wm).replace("key-id: ", "key-id: 00"));
    runs.add(CliRun.run(userHome, env, "--verbose", "keys", "list"));
    runs.add(CliRun.run(userHome, env, "keys", "list", "--json"));

    StringBuilder all = new StringBuilder();
    for (CliRun r : runs) {
      all.append(r.out).append('\n').append(r.err).append('\n');
    }
    String text = all.toString();
    String lower = text.toLowerCase(Locale.ROOT);
    assertFalse(text.contains(PASSPHRASE), "passphrase leaked");
    for (byte[] s : secrets) {
      assertEquals(32, s.length);
      assertFalse(lower.contains(Hex.encode(s)), "secret leaked as hex");
      assertFalse(text.contains(Base64.getEncoder().encodeToString(s)), "secret leaked as base64");
      assertFalse(text.contains(Base64.getEncoder().withoutPadding().encodeToString(s).substring(0, 20)), "secret leaked as base64 prefix");
      assertFalse(text.contains(Base64.getUrlEncoder().withoutPadding().encodeToString(s).substring(0, 20)), "secret leaked as base64url");
      assertFalse(lower.contains(Hex.encode(s).substring(0, 16)), "secret prefix leaked as hex");
    }
    assertFalse(text.contains("PRIVATE KEY"), "PEM leaked");
  }

  private static byte[] seedOf(Path pem) throws Exception {
    try (PEMParser p = new PEMParser(new StringReader(Files.readString(pem)))) {
      PrivateKeyInfo info = (PrivateKeyInfo) p.readObject();
      return ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
    }
  }
}
