package dev.hallmark.cli.c2pa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.c2pa.TestPki;
import dev.hallmark.cli.CliRun;
import dev.hallmark.cli.tag.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code hallmark tag --c2pa-cert/--c2pa-key} and {@code hallmark c2pa read}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class C2paCommandTest {
  static final long SEED = 1616L;
  @TempDir static Path dir;
  Path home;
  Path ledger;
  Path tagged;
  TestPki.PemFiles creds;

  CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.run(dir, all);
  }

  @BeforeAll
  void tagAPhotoWithContentCredentials() throws Exception {
    System.out.println("C2paCommandTest seed " + SEED);
    home = dir.resolve("home");
    ledger = dir.resolve("ledger");
    creds = TestPki.create("ES256", SEED).writePem(dir);
    assertEquals(0, run("keys", "new", "--type", "watermark", "--name", "gen").exitCode);
    assertEquals(0, run("keys", "new", "--type", "signing", "--name", "ops").exitCode);
    Path photo = Fixtures.photo(dir, "kodim07.png");
    CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--origin",
        "test.example/log", "--model", "painter-1", "--format", "jpeg", "--c2pa-cert", creds.chain().toString(),
        "--c2pa-key", creds.key().toString(), photo.toString(), "--json");
    assertEquals(0, t.exitCode, t.toString());
    JsonNode j = new ObjectMapper().readTree(t.out);
    tagged = Path.of(j.get("output").asText());
    assertTrue(j.get("c2paManifest").asText().startsWith("urn:c2pa:"), t.out);
    JsonNode record = new ObjectMapper().readTree(Files.readString(Path.of(tagged + ".record.json")));
    assertEquals(j.get("c2paManifest").asText(), record.at("/attributes/c2pa/manifestLabel").asText(), record.toString());
    assertFalse(record.at("/attributes/c2pa/manifestStore").asText().isEmpty());
  }

  @Test
  void readShowsATrustedAiManifestWithItsSoftBinding() throws Exception {
    CliRun r = run("c2pa", "read", "--trust", creds.root().toString(), "--json", tagged.toString());
    assertEquals(0, r.exitCode, r.toString());
    JsonNode j = new ObjectMapper().readTree(r.out);
    assertEquals("Trusted", j.get("validationState").asText());
    assertTrue(j.at("/activeManifest/trainedAlgorithmicMedia").asBoolean());
    assertEquals("Hallmark Test Signer (Hallmark Tests)", j.at("/activeManifest/signer").asText());
    assertEquals("painter-1", j.at("/activeManifest/actions/0/softwareAgent").asText());
    assertEquals("dev.hallmark.watermark.image.1", j.at("/activeManifest/softBindings/0/alg").asText());

    CliRun text = run("c2pa", "read", tagged.toString());
    assertEquals(0, text.exitCode, text.toString());
    assertTrue(text.out.contains("C2PA Valid") && text.out.contains("signingCredential.untrusted"), text.out);
  }

  @Test
  void tamperedFileIsInvalidWithExitCode1AndPlainFileHasNone() throws Exception {
    byte[] b = Files.readAllBytes(tagged);
    b[b.length - 100] ^= 0x01;
    Path bad = dir.resolve("bad.jpg");
    Files.write(bad, b);
    CliRun r = run("c2pa", "read", "--trust", creds.root().toString(), bad.toString());
    assertEquals(1, r.exitCode, r.toString());
    assertTrue(r.out.contains("assertion.dataHash.mismatch"), r.out);

    CliRun none = run("c2pa", "read", Fixtures.photo(dir, "kodim20.png").toString());
    assertEquals(1, none.exitCode);
    assertTrue(none.out.contains("no C2PA manifest"), none.out);

    Path junk = dir.resolve("junk.bin");
    Files.write(junk, new byte[] {1, 2, 3});
    CliRun j = run("c2pa", "read", junk.toString());
    assertEquals(3, j.exitCode, j.toString());
    assertTrue(j.err.startsWith("hallmark: "), j.err);
  }

  @Test
  void strippedReencodedCopyRecoversItsManifestThroughTheWatermark() throws Exception {
    Path copy = dir.resolve("stripped-0.75x.jpg");
    Files.write(copy, Fixtures.reencode(Files.readAllBytes(tagged)));
    assertEquals(1, run("c2pa", "read", copy.toString()).exitCode, "the copy must carry no manifest");
    CliRun v = run("verify", "--ledger", ledger.toString(), "--c2pa-trust", creds.root().toString(), "--json",
        copy.toString());
    assertEquals(0, v.exitCode, v.toString());
    JsonNode j = new ObjectMapper().readTree(v.out);
    assertTrue(j.at("/watermark/detected").asBoolean(), v.out);
    assertEquals("watermark-payload", j.at("/record/via").asText(), v.out);
    assertTrue(j.at("/c2pa/present").asBoolean(), v.out);
    assertTrue(j.at("/c2pa/recovered").asBoolean(), v.out);
    assertEquals("Trusted", j.at("/c2pa/validationState").asText(), v.out);
    assertTrue(j.at("/c2pa/trainedAlgorithmicMedia").asBoolean(), v.out);
    assertTrue(j.get("summary").asText().contains("recovered from the ledger record"), v.out);

    CliRun text = run("verify", "--ledger", ledger.toString(), copy.toString());
    assertEquals(0, text.exitCode, text.toString());
    assertTrue(text.out.contains("Content Credentials recovered") && text.out.contains("C2PA Valid"), text.out);
  }

  @Test
  void verifyShowsTheEmbeddedManifestAsASignal() throws Exception {
    CliRun v = run("verify", "--ledger", ledger.toString(), "--c2pa-trust", creds.root().toString(), "--json",
        tagged.toString());
    assertEquals(0, v.exitCode, v.toString());
    JsonNode j = new ObjectMapper().readTree(v.out);
    assertFalse(j.at("/c2pa/recovered").asBoolean(), v.out);
    assertEquals("Trusted", j.at("/c2pa/validationState").asText(), v.out);
    assertEquals("Hallmark Test Signer (Hallmark Tests)", j.at("/c2pa/signer").asText(), v.out);
  }

  @Test
  void cleanRemovesImagesWhoseOwnManifestDeclaresAiGenerationByPolicy() throws Exception {
    Path corpus = Files.createDirectories(dir.resolve("corpus"));
    Files.copy(tagged, corpus.resolve("generated.jpg"));
    Files.copy(Fixtures.photo(dir, "kodim20.png"), corpus.resolve("camera.png"));
    Path emptyHome = Files.createDirectories(dir.resolve("no-keys-home"));
    CliRun with = CliRun.run(dir, "--home", emptyHome.toString(), "clean", "--input", corpus.toString(), "--output",
        dir.resolve("clean-c2pa").toString(), "--remove-c2pa-ai", "--json", "--progress", "none");
    assertEquals(0, with.exitCode, with.toString());
    JsonNode rep = new ObjectMapper().readTree(with.out);
    assertEquals(1, rep.at("/totals/removed").asLong(), with.out);
    assertEquals(1, rep.at("/removedByReason/C2PA_AI_GENERATED").asLong(), with.out);
    CliRun without = CliRun.run(dir, "--home", emptyHome.toString(), "clean", "--input", corpus.toString(), "--output",
        dir.resolve("clean-plain").toString(), "--json", "--progress", "none");
    // Without the policy and with no keys or ledger there is nothing to detect: a usage error.
    assertEquals(2, without.exitCode, without.toString());
  }

  @Test
  void certWithoutKeyIsAUsageError() throws Exception {
    Path photo = Fixtures.photo(dir, "kodim20.png");
    CliRun r = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "m",
        "--c2pa-cert", creds.chain().toString(), photo.toString());
    assertEquals(2, r.exitCode, r.toString());
  }

  /** Signing with a certificate validators reject would store a never-valid manifest in the signed record. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(value = TestPki.Leaf.class, names = {"EXPIRED", "NO_EKU", "CA"})
  void tagRefusesACertificateValidatorsReject(TestPki.Leaf profile) throws Exception {
    Path sub = Files.createDirectories(dir.resolve("bad-" + profile));
    TestPki.PemFiles bad = TestPki.create("ES256", SEED + 1 + profile.ordinal(), profile).writePem(sub);
    Path photo = Files.copy(Fixtures.photo(dir, "kodim20.png"), sub.resolve("photo.png"));
    CliRun r = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "m",
        "--c2pa-cert", bad.chain().toString(), "--c2pa-key", bad.key().toString(), photo.toString());
    assertEquals(3, r.exitCode, r.toString());
    assertTrue(r.err.startsWith("hallmark: C2PA certificate chain " + bad.chain() + " (signer Hallmark Test Signer"), r.err);
    assertTrue(r.err.contains(profile == TestPki.Leaf.EXPIRED ? "expired on" : "signingCredential.invalid"), r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertFalse(Files.exists(sub.resolve("photo.tagged.png")), "nothing is written or registered");
  }

  /** A file holding its manifest store twice: present but malformed, not "carries none", not bad input. */
  @Test
  void aDuplicatedManifestStoreIsReportedAsMalformed() throws Exception {
    Path dup = dir.resolve("dup.jpg");
    Files.write(dup, dev.hallmark.c2pa.TestImages.duplicateStore(Files.readAllBytes(tagged)));
    CliRun r = run("c2pa", "read", dup.toString());
    assertEquals(1, r.exitCode, r.toString());
    assertTrue(r.out.contains("C2PA Invalid") && r.out.contains("hallmark.manifestStore.multiple"), r.out);

    CliRun v = run("verify", "--ledger", ledger.toString(), "--json", dup.toString());
    JsonNode j = new ObjectMapper().readTree(v.out);
    String summary = j.get("summary").asText();
    assertTrue(summary.contains("Content Credentials (C2PA) in the file (its manifest store is malformed"), summary);
    assertFalse(summary.contains("carries none"), summary);
    assertFalse(j.at("/c2pa/recovered").asBoolean(), v.out);
    assertEquals("Invalid", j.at("/c2pa/validationState").asText(), v.out);
    assertTrue(j.get("notes").toString().contains("recovered from the ledger record"), v.out);
  }

  /** A forged signature or a tampered actions assertion: what the manifest says is shown as a claim. */
  @Test
  void unverifiedSignerAndActionsAreShownAsClaims() throws Exception {
    byte[] b = Files.readAllBytes(tagged);
    byte[] sig = b.clone();
    sig[dev.hallmark.c2pa.TestImages.lastByteOfFirstStoreSegment(sig)] ^= 0x01;
    Path badSig = dir.resolve("bad-signature.jpg");
    Files.write(badSig, sig);
    CliRun r = run("c2pa", "read", badSig.toString());
    assertEquals(1, r.exitCode, r.toString());
    assertTrue(r.out.contains("claimSignature.mismatch"), r.out);
    assertFalse(r.out.contains("signed by"), r.out);
    assertTrue(r.out.contains("claims to be Hallmark Test Signer (Hallmark Tests)"), r.out);
    assertTrue(r.out.contains("AI-made     claimed (trainedAlgorithmicMedia), not verified"), r.out);
    String summary = new ObjectMapper().readTree(run("verify", "--ledger", ledger.toString(), "--json", badSig.toString()).out)
        .get("summary").asText();
    assertTrue(summary.contains("Invalid, claims to be signed by Hallmark Test Signer (Hallmark Tests); the signature does not verify"),
        summary);
    assertFalse(summary.contains("declares the content AI-generated"), summary);

    // painter-1 -> painter-2 inside the actions assertion (same length, so the store still parses).
    byte[] agent = b.clone();
    byte[] from = "painter-1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int at = indexOf(agent, from);
    assertTrue(at > 0);
    agent[at + from.length - 1] = '2';
    Path badAgent = dir.resolve("bad-agent.jpg");
    Files.write(badAgent, agent);
    CliRun a = run("c2pa", "read", badAgent.toString());
    assertEquals(1, a.exitCode, a.toString());
    assertTrue(a.out.contains("assertion.hashedURI.mismatch") && a.out.contains("signed by   Hallmark Test Signer"), a.out);
    assertTrue(a.out.contains("agent painter-2  (unverified)"), a.out);
    assertTrue(a.out.contains("not verified: the actions assertion does not verify"), a.out);
    CliRun av = run("verify", "--ledger", ledger.toString(), "--json", badAgent.toString());
    JsonNode j = new ObjectMapper().readTree(av.out);
    String s2 = j.get("summary").asText();
    assertTrue(s2.contains("claims the content is AI-generated (trainedAlgorithmicMedia, painter-2), not verified:"
        + " the actions assertion does not verify"), s2);
    assertFalse(s2.contains("declares the content AI-generated"), s2);
    assertTrue(j.at("/c2pa/signatureVerified").asBoolean() && !j.at("/c2pa/actionsVerified").asBoolean(), av.out);
  }

  /** A manifest too large for a ledger record is named as the cause, with what to do about it. */
  @Test
  void aManifestTooLargeForTheLedgerRecordIsNamedAsTheCause() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("long-chain"));
    String leafPem = Files.readString(creds.chain());
    String rootPem = Files.readString(creds.root());
    Path chain = sub.resolve("chain-long.pem");
    Files.writeString(chain, leafPem + rootPem.repeat(150));
    Path photo = Files.copy(Fixtures.photo(dir, "kodim20.png"), sub.resolve("photo.png"));
    CliRun r = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "m",
        "--c2pa-cert", chain.toString(), "--c2pa-key", creds.key().toString(), photo.toString());
    assertEquals(3, r.exitCode, r.toString());
    assertTrue(r.err.startsWith("hallmark: the C2PA manifest (") && r.err.contains("makes the record too large")
        && r.err.contains("shorter certificate chain"), r.err);
    assertFalse(r.err.contains("attributes/watermark"), r.err);
    assertFalse(Files.exists(sub.resolve("photo.tagged.png")));
  }

  /** Re-encoding an image drops its manifest: tag and image embed say so on stderr and in their JSON. */
  @Test
  void droppingTheInputsContentCredentialsIsSaid() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("dropped"));
    CliRun e = run("image", "embed", "--key", "gen", "--json", tagged.toString(), sub.resolve("embedded.png").toString());
    assertEquals(0, e.exitCode, e.toString());
    assertTrue(new ObjectMapper().readTree(e.out).get("inputC2paRemoved").asBoolean(), e.out);
    assertTrue(e.err.startsWith("hallmark: note: " + tagged + " carried Content Credentials"), e.err);

    CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "m", "--force",
        "--out", sub.resolve("retagged.jpg").toString(), "--json", tagged.toString());
    assertEquals(0, t.exitCode, t.toString());
    assertTrue(new ObjectMapper().readTree(t.out).get("inputC2paRemoved").asBoolean(), t.out);
    assertTrue(t.err.contains("they were removed (--c2pa-cert/--c2pa-key would embed a new manifest)"), t.err);

    CliRun plain = run("image", "embed", "--key", "gen", "--json", Fixtures.photo(dir, "kodim20.png").toString(),
        sub.resolve("plain.png").toString());
    assertFalse(new ObjectMapper().readTree(plain.out).get("inputC2paRemoved").asBoolean(), plain.out);
    assertFalse(plain.err.contains("Content Credentials"), plain.err);
  }

  /** c2pa read names a folder it is given, and reads standard input for -, as verify does. */
  @Test
  void readNamesAFolderAndReadsStandardInput() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("a-folder"));
    CliRun d = run("c2pa", "read", folder + "/");
    assertEquals(3, d.exitCode, d.toString());
    assertTrue(d.err.startsWith("hallmark: " + folder + "/: is a folder"), d.err);

    java.io.InputStream saved = System.in;
    System.setIn(new java.io.ByteArrayInputStream(Files.readAllBytes(tagged)));
    CliRun s;
    try {
      s = run("c2pa", "read", "-");
    } finally {
      System.setIn(saved);
    }
    assertEquals(0, s.exitCode, s.toString());
    assertTrue(s.out.startsWith("stdin: C2PA Valid"), s.out);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
