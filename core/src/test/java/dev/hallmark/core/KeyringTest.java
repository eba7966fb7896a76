package dev.hallmark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.KeyringException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {
  @TempDir Path home;
  Keyring keyring;
  SecureRandom random;

  @BeforeEach
  void setUp() throws Exception {
    long seed = 0x4a11_3a4bL;
    System.out.println("seed=" + seed);
    random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    keyring = Keyring.open(home);
  }

  @Test
  void watermarkKeysByNameTakeCommaListsOrDefaultToAll() throws Exception {
    keyring.createWatermarkKey("a", random);
    keyring.createWatermarkKey("b", random);
    keyring.createWatermarkKey("c", random);
    assertEquals(List.of("a", "b", "c"), keyring.watermarkKeys(List.of()).stream().map(WatermarkKey::name).toList());
    assertEquals(List.of("a", "b", "c"), keyring.watermarkKeys(null).stream().map(WatermarkKey::name).toList());
    assertEquals(List.of("c", "a", "b"), keyring.watermarkKeys(List.of("c, a", "b")).stream().map(WatermarkKey::name).toList());
    KeyringException e = assertThrows(KeyringException.class, () -> keyring.watermarkKeys(List.of("a,nope")));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  @Test
  void watermarkKeyRoundTrip() throws Exception {
    KeyInfo info = keyring.createWatermarkKey("wm", random);
    WatermarkKey loaded = keyring.watermarkKey("wm");
    assertEquals(info.keyId(), loaded.keyId());
    assertEquals(KeyType.WATERMARK, info.type());
    assertEquals(List.of(info), keyring.list());
    assertEquals(1, keyring.watermarkKeys().size());
  }

  /** #19 item 4: a 0644 key and a 0777 keyring folder were used silently; now they are refused. */
  @Test
  void secretKeysReadableOrReplaceableByOthersAreRefused() throws Exception {
    keyring.createWatermarkKey("wm", random);
    keyring.createSigningKey("sig", random, null);
    Path wm = keyring.directory().resolve("wm.watermark");
    Files.setPosixFilePermissions(wm, PosixFilePermissions.fromString("rw-r--r--"));
    KeyringException e = org.junit.jupiter.api.Assertions.assertThrows(KeyringException.class, () -> keyring.watermarkKey("wm"));
    assertEquals(KeyringException.Reason.INSECURE_PERMISSIONS, e.reason());
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    Files.setPosixFilePermissions(wm, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(keyring.directory(), PosixFilePermissions.fromString("rwxrwxrwx"));
    KeyringException d = org.junit.jupiter.api.Assertions.assertThrows(KeyringException.class, () -> keyring.signingKey("sig", null));
    assertEquals(KeyringException.Reason.INSECURE_PERMISSIONS, d.reason());
    org.junit.jupiter.api.Assertions.assertTrue(d.getMessage().contains("chmod 700"), d.getMessage());
    // A new key is not written where every later read would refuse it (keys new did write it).
    KeyringException w = org.junit.jupiter.api.Assertions.assertThrows(KeyringException.class,
        () -> keyring.createWatermarkKey("wm2", random));
    assertEquals(KeyringException.Reason.INSECURE_PERMISSIONS, w.reason());
    org.junit.jupiter.api.Assertions.assertFalse(Files.exists(keyring.directory().resolve("wm2.watermark")));
    Files.setPosixFilePermissions(keyring.directory(), PosixFilePermissions.fromString("rwx------"));
    keyring.watermarkKey("wm");
    keyring.signingKey("sig", null);
    keyring.createWatermarkKey("wm2", random);
  }

  @Test
  void filesAreOwnerOnly() throws Exception {
    keyring.createWatermarkKey("wm", random);
    keyring.createSigningKey("sig", random, "pw".toCharArray());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyring.directory())));
    for (String f : new String[] {"wm.watermark", "sig.signing.pem", "sig.signing.pub"}) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyring.directory().resolve(f))), f);
    }
    try (var s = Files.list(keyring.directory())) {
      assertEquals(3, s.count(), "no temporary files left behind");
    }
  }

  @Test
  void encryptedSigningKeyRoundTrip() throws Exception {
    KeyInfo info = keyring.createSigningKey("sig", random, "correct horse".toCharArray());
    assertTrue(info.encrypted());
    String pem = Files.readString(info.path());
    assertTrue(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), pem);

    SigningKey key = keyring.signingKey("sig", "correct horse".toCharArray());
    byte[] sig = key.sign("hello".getBytes(StandardCharsets.UTF_8));
    NoteVerifierKey vkey = keyring.verifierKey("sig");
    assertEquals(info.keyId(), vkey.keyIdHex());
    assertDoesNotThrow(() -> vkey.publicKey().verify("hello".getBytes(StandardCharsets.UTF_8), sig));
  }

  @Test
  void unencryptedSigningKeyRoundTrip() throws Exception {
    KeyInfo info = keyring.createSigningKey("sig", random, null);
    assertFalse(info.encrypted());
    assertTrue(Files.readString(info.path()).startsWith("-----BEGIN PRIVATE KEY-----"));
    SigningKey key = keyring.signingKey("sig", null);
    assertEquals(keyring.verifierKey("sig").publicKey(), key.publicKey());
  }

  @Test
  void wrongOrMissingPassphraseIsAClearError() throws Exception {
    keyring.createSigningKey("sig", random, "right".toCharArray());
    KeyringException wrong = assertThrows(KeyringException.class, () -> keyring.signingKey("sig", "wrong".toCharArray()));
    assertEquals(Reason.WRONG_PASSPHRASE, wrong.reason());
    assertEquals("wrong passphrase for signing key 'sig'", wrong.getMessage());
    KeyringException none = assertThrows(KeyringException.class, () -> keyring.signingKey("sig", null));
    assertEquals(Reason.PASSPHRASE_REQUIRED, none.reason());
  }

  @Test
  void duplicateNamesAreRefusedAndNothingIsOverwritten() throws Exception {
    keyring.createWatermarkKey("k", random);
    byte[] before = Files.readAllBytes(keyring.directory().resolve("k.watermark"));
    KeyringException e1 = assertThrows(KeyringException.class, () -> keyring.createWatermarkKey("k", random));
    assertEquals(Reason.DUPLICATE, e1.reason());
    KeyringException e2 = assertThrows(KeyringException.class, () -> keyring.createSigningKey("k", random, null));
    assertEquals(Reason.DUPLICATE, e2.reason());
    assertArrayEquals(before, Files.readAllBytes(keyring.directory().resolve("k.watermark")));
    assertFalse(Files.exists(keyring.directory().resolve("k.signing.pub")));
  }

  @Test
  void missingAndWrongTypeKeys() throws Exception {
    assertEquals(Reason.NOT_FOUND, assertThrows(KeyringException.class, () -> keyring.watermarkKey("nope")).reason());
    assertEquals(Reason.NOT_FOUND, assertThrows(KeyringException.class, () -> keyring.signingKey("nope", null)).reason());
    assertEquals(Reason.NOT_FOUND, assertThrows(KeyringException.class, () -> keyring.verifierKey("nope")).reason());
    keyring.createWatermarkKey("wm", random);
    assertEquals(Reason.WRONG_TYPE, assertThrows(KeyringException.class, () -> keyring.signingKey("wm", null)).reason());
    assertEquals(Reason.WRONG_TYPE, assertThrows(KeyringException.class, () -> keyring.verifierKey("wm")).reason());
    assertEquals(Reason.INVALID_NAME, assertThrows(KeyringException.class, () -> keyring.createWatermarkKey("a/b", random)).reason());
  }

  @Test
  void corruptWatermarkFileIsDetected() throws Exception {
    keyring.createWatermarkKey("wm", random);
    Path f = keyring.directory().resolve("wm.watermark");
    String text = Files.readString(f);
    String secretLine = text.lines().filter(l -> l.startsWith("secret: ")).findFirst().orElseThrow();
    char c = secretLine.charAt(10);
    String flipped = secretLine.substring(0, 10) + (c == 'A' ? 'B' : 'A') + secretLine.substring(11);
    Files.writeString(f, text.replace(secretLine, flipped));
    KeyringException e = assertThrows(KeyringException.class, () -> keyring.watermarkKey("wm"));
    assertEquals(Reason.CORRUPT, e.reason());
    assertTrue(e.getMessage().contains("key id does not match"), e.getMessage());

    Files.writeString(f, "garbage\n");
    assertEquals(Reason.CORRUPT, assertThrows(KeyringException.class, () -> keyring.watermarkKey("wm")).reason());
  }

  @Test
  void versionsAreChecked() throws Exception {
    keyring.createWatermarkKey("wm", random);
    Path f = keyring.directory().resolve("wm.watermark");
    String text = Files.readString(f);
    Files.writeString(f, text.replace("version: 2", "version: 3"));
    KeyringException newer = assertThrows(KeyringException.class, () -> keyring.watermarkKey("wm"));
    assertEquals(Reason.UNSUPPORTED_VERSION, newer.reason());
    assertTrue(newer.getMessage().contains("newer"), newer.getMessage());
    Files.writeString(f, text.replace("version: 2", "version: 0"));
    KeyringException older = assertThrows(KeyringException.class, () -> keyring.watermarkKey("wm"));
    assertEquals(Reason.UNSUPPORTED_VERSION, older.reason());
    assertTrue(older.getMessage().contains("too old"), older.getMessage());
  }

  @Test
  void unreadableKeyFileIsAnIoError() throws Exception {
    Files.createDirectories(keyring.directory().resolve("odd.watermark"));
    KeyringException e = assertThrows(KeyringException.class, () -> keyring.watermarkKey("odd"));
    assertEquals(Reason.IO, e.reason());
    assertTrue(e.getMessage().startsWith("could not read "), e.getMessage());
  }

  @Test
  void tamperedPublicKeyIsDetected() throws Exception {
    keyring.createSigningKey("a", random, null);
    keyring.createSigningKey("b", random, null);
    Path pubA = keyring.directory().resolve("a.signing.pub");
    Path pubB = keyring.directory().resolve("b.signing.pub");
    String b = Files.readString(pubB);
    Files.writeString(pubA, b.replaceFirst("^b\\+", "a+"));
    KeyringException e = assertThrows(KeyringException.class, () -> keyring.signingKey("a", null));
    assertEquals(Reason.CORRUPT, e.reason());
  }

  @Test
  void pemIsReadableByOpenSsl() throws Exception {
    Path openssl = Path.of("/usr/bin/openssl");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(openssl), "openssl not installed");
    KeyInfo info = keyring.createSigningKey("sig", random, "pw-123".toCharArray());
    Process p = new ProcessBuilder(openssl.toString(), "pkey", "-in", info.path().toString(),
        "-passin", "pass:pw-123", "-pubout", "-outform", "DER").redirectErrorStream(true).start();
    byte[] der = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), new String(der, StandardCharsets.UTF_8));
    // SubjectPublicKeyInfo for Ed25519 is a 12-byte prefix followed by the raw 32-byte key.
    byte[] raw = java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
    assertArrayEquals(keyring.verifierKey("sig").publicKey().bytes(), raw);
  }

  @Test
  void watermarkKeyRecordsItsTextScheme() throws Exception {
    WatermarkKey.TextScheme ts = new WatermarkKey.TextScheme("kgw",
        java.util.Map.of("gamma", "0.25", "delta", "2.0", "contextWidth", "1"));
    KeyInfo info = keyring.createWatermarkKey("typed", random, ts);
    assertEquals("kgw(contextWidth=1,delta=2.0,gamma=0.25)", info.textScheme());
    WatermarkKey k = keyring.watermarkKey("typed");
    assertEquals(ts, k.textScheme().orElseThrow());
    String file = Files.readString(keyring.directory().resolve("typed.watermark"));
    assertTrue(file.contains("\nversion: 2\n"), file);
    assertTrue(file.contains("\ntext-scheme: kgw\ntext-parameters: contextWidth=1,delta=2.0,gamma=0.25\n"), file);
    assertFalse(file.contains(Hex.encode(k.secretBytes())));
    keyring.createWatermarkKey("untyped", random);
    assertTrue(keyring.watermarkKey("untyped").textScheme().isEmpty());
    assertTrue(Files.readString(keyring.directory().resolve("untyped.watermark")).contains("\ntext-scheme: any\n"));
    assertEquals("any", keyring.find("untyped").orElseThrow().textScheme());
  }

  @Test
  void versionOneFilesStillLoadAsKeysOfAnyScheme() throws Exception {
    // The spec's version-1 vector: secret bytes 0x00..0x1f.
    byte[] secret = new byte[32];
    for (int i = 0; i < 32; i++) {
      secret[i] = (byte) i;
    }
    String id = WatermarkKey.fromSecret("old", secret).keyId();
    Files.createDirectories(keyring.directory());
    writeSecretFile(keyring.directory().resolve("old.watermark"), "hallmark-watermark-key\nversion: 1\nname: old\n"
        + "key-id: " + id + "\nsecret: " + java.util.Base64.getEncoder().encodeToString(secret) + "\n");
    WatermarkKey k = keyring.watermarkKey("old");
    assertEquals(id, k.keyId());
    assertTrue(k.textScheme().isEmpty());
  }

  @Test
  void versionTwoVectorFromTheSpec() throws Exception {
    byte[] secret = new byte[32];
    for (int i = 0; i < 32; i++) {
      secret[i] = (byte) i;
    }
    String id = WatermarkKey.fromSecret("spec", secret).keyId();
    String body = "hallmark-watermark-key\nversion: 2\nname: spec\nkey-id: " + id + "\ntext-scheme: kgw\n"
        + "text-parameters: contextWidth=1,delta=2.0,gamma=0.25\nsecret: "
        + java.util.Base64.getEncoder().encodeToString(secret) + "\n";
    String sum = Keyring.checksum(body);
    System.out.println("spec vector: key-id " + id + " checksum " + sum);
    assertEquals("8a05a2826cfa0018", id);
    assertEquals("bf9d49fdeda011fe", sum);
    Files.createDirectories(keyring.directory());
    Path f = keyring.directory().resolve("spec.watermark");
    writeSecretFile(f, body + "checksum: " + sum + "\n");
    assertEquals("kgw", keyring.watermarkKey("spec").textScheme().orElseThrow().label());
    // Any change to a covered line (here the scheme) is caught by the checksum.
    writeSecretFile(f, body.replace("text-scheme: kgw", "text-scheme: unigram") + "checksum: " + sum + "\n");
    KeyringException e = assertThrows(KeyringException.class, () -> keyring.watermarkKey("spec"));
    assertEquals(Reason.CORRUPT, e.reason());
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    Files.writeString(f, body);
    assertEquals(Reason.CORRUPT, assertThrows(KeyringException.class, () -> keyring.watermarkKey("spec")).reason());
    Files.writeString(f, body + "checksum: " + sum + "\nextra: 1\n");
    assertEquals(Reason.CORRUPT, assertThrows(KeyringException.class, () -> keyring.watermarkKey("spec")).reason());
  }

  /** A hand-written key file with the 0600 permissions the keyring demands of secret keys. */
  private static void writeSecretFile(Path f, String text) throws java.io.IOException {
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
  }
}
