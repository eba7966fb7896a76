package dev.hallmark.cli.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.CliRun;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path home;

  static String sha(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  CliRun ok(String... args) {
    CliRun r = CliRun.run(home, args);
    assertEquals(0, r.exitCode, r.toString());
    return r;
  }

  Path setUp() throws Exception {
    ok("keys", "new", "--type", "signing", "--name", "logkey");
    ok("keys", "new", "--type", "signing", "--name", "producer");
    Path dir = home.resolve("log");
    CliRun init = ok("ledger", "init", "--dir", dir.toString(), "--origin", "ledger.example/cli", "--signing-key", "logkey");
    assertTrue(init.out.startsWith("ledger.example/cli+"), init.out);
    return dir;
  }

  @Test
  void initAddGetLookupProveVerify() throws Exception {
    Path dir = setUp();
    String vkey = ok("keys", "public", "--name", "logkey", "--note-name", "ledger.example/cli").out.trim();
    Path r1 = home.resolve("r1.json");
    Files.writeString(r1, "{\"kind\":\"text\",\"contentSha256\":\"" + sha("hello") + "\",\"model\":\"demo\"}");
    Path txt = home.resolve("doc.txt");
    String doc = "the quick brown fox jumps over the lazy dog while the cat sleeps in the warm afternoon sun";
    Files.writeString(txt, doc);
    int[] mh = dev.hallmark.watermark.fingerprint.TextFingerprint.minHash(doc);
    StringBuilder arr = new StringBuilder();
    for (int v : mh) {
      arr.append(arr.length() == 0 ? "" : ",").append(Integer.toUnsignedLong(v));
    }
    Path r2 = home.resolve("r2.json");
    Files.writeString(r2, "{\"kind\":\"text\",\"contentSha256\":\"" + sha(doc) + "\",\"textMinHash\":[" + arr + "]}");

    CliRun unsigned = CliRun.run(home, "ledger", "add", "--dir", dir.toString(), r1.toString());
    assertEquals(2, unsigned.exitCode, unsigned.toString());
    CliRun add = ok("ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", "--json", r1.toString(), r2.toString());
    JsonNode a = JSON.readTree(add.out);
    assertEquals(2, a.get("treeSize").asInt());
    assertEquals(1, a.get("added").get(1).get("index").asInt());

    JsonNode got = JSON.readTree(ok("ledger", "get", "--dir", dir.toString(), "--index", "0", "--json", "--log-key", vkey).out);
    assertEquals(sha("hello"), got.get("record").get("contentSha256").asText());

    CliRun look = ok("ledger", "lookup", "--dir", dir.toString(), "--sha256", sha(doc), "--log-key", vkey);
    assertTrue(look.out.startsWith("1\ttext\t"), look.out);
    CliRun text = ok("ledger", "lookup", "--dir", dir.toString(), "--text", txt.toString(), "--json", "--log-key", vkey);
    assertEquals(1, JSON.readTree(text.out).get(0).get("index").asInt());
    CliRun byModel = ok("ledger", "lookup", "--dir", dir.toString(), "--model", "demo", "--kind", "text", "--log-key", vkey);
    assertTrue(byModel.out.startsWith("0\ttext\t") && byModel.out.split("\n").length == 1, byModel.out);
    CliRun none = CliRun.run(home, "ledger", "lookup", "--dir", dir.toString(), "--sha256", sha("absent"), "--log-key", vkey);
    assertEquals(1, none.exitCode, none.toString());

    Path receipt = home.resolve("r1.tlog-proof");
    ok("ledger", "prove", "--dir", dir.toString(), "--sha256", sha("hello"), "--out", receipt.toString(), "--log-key", vkey);
    assertTrue(Files.readString(receipt).startsWith("c2sp.org/tlog-proof@v1\n"));
    CliRun vr = ok("ledger", "verify-receipt", receipt.toString(), "--log-key", vkey);
    assertTrue(vr.out.startsWith("ok: entry 0"), vr.out);
    String other = ok("keys", "public", "--name", "producer", "--note-name", "ledger.example/cli").out.trim();
    assertEquals(1, CliRun.run(home, "ledger", "verify-receipt", receipt.toString(), "--log-key", other).exitCode);

    Path cp = home.resolve("cp.txt");
    Files.writeString(cp, ok("ledger", "checkpoint", "--dir", dir.toString()).out);
    // Appends are idempotent: the same signed record again keeps its index and adds nothing.
    CliRun again = ok("ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", r1.toString());
    assertEquals("0\t" + r1 + "\n", again.out.replace("\r", ""));
    assertTrue(again.err.contains(r1 + " is already entry 0 of the log; not appended again"), again.err);
    assertTrue(again.err.contains("now has 2 entries"), again.err);
    Path r3 = home.resolve("r3.json");
    Files.writeString(r3, "{\"kind\":\"text\",\"contentSha256\":\"" + sha("third") + "\"}");
    ok("ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", r3.toString());
    CliRun ver = ok("ledger", "verify", "--dir", dir.toString(), "--since", cp.toString(), "--json", "--log-key", vkey);
    assertEquals(3, JSON.readTree(ver.out).get("treeSize").asInt());
    ok("ledger", "reindex", "--dir", dir.toString());
    JsonNode cons = JSON.readTree(ok("ledger", "prove", "--dir", dir.toString(), "--consistency-from", "2", "--json", "--log-key", vkey).out);
    java.util.List<byte[]> hs = new java.util.ArrayList<>();
    cons.get("proof").forEach(h -> hs.add(java.util.Base64.getDecoder().decode(h.asText())));
    dev.hallmark.ledger.Merkle.verifyConsistency(2, 3, java.util.Base64.getDecoder().decode(cons.get("root1").asText()),
        java.util.Base64.getDecoder().decode(cons.get("root2").asText()), hs);

    Path bundle = dir.resolve("tile/entries/000.p/3");
    byte[] b = Files.readAllBytes(bundle);
    b[20] ^= 1;
    Files.write(bundle, b);
    CliRun bad = CliRun.run(home, "ledger", "verify", "--dir", dir.toString(), "--log-key", vkey);
    assertEquals(1, bad.exitCode, bad.toString());
    assertTrue(bad.err.contains("tile/entries/000.p/3"), bad.err);
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (var s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteTree(Path p) throws Exception {
    try (var s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(q);
      }
    }
  }

  @Test
  void verifyRemembersTheLastCheckpointAndCatchesRollbackAndFork() throws Exception {
    Path dir = setUp();
    Path r1 = home.resolve("r1.json");
    Files.writeString(r1, "{\"kind\":\"text\",\"contentSha256\":\"" + sha("one") + "\"}");
    Path r2 = home.resolve("r2.json");
    Files.writeString(r2, "{\"kind\":\"text\",\"contentSha256\":\"" + sha("two") + "\"}");
    Path r3 = home.resolve("r3.json");
    Files.writeString(r3, "{\"kind\":\"text\",\"contentSha256\":\"" + sha("three") + "\"}");
    ok("ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", r1.toString());
    Path old = home.resolve("old-copy");
    copyTree(dir, old);
    CliRun first = ok("ledger", "verify", "--dir", dir.toString(), "--json");
    assertTrue(JSON.readTree(first.out).get("since").isNull(), "nothing remembered yet: " + first.out);
    ok("ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", r2.toString());
    CliRun grown = ok("ledger", "verify", "--dir", dir.toString());
    assertTrue(grown.out.contains("consistent with the remembered checkpoint of size 1"), grown.out);
    try (var files = Files.list(home.resolve(".hallmark/checkpoints"))) {
      assertEquals(1, files.count(), "one remembered checkpoint per log");
    }

    // The operator (or an attacker) rolls the folder back to the one-entry copy.
    deleteTree(dir);
    copyTree(old, dir);
    CliRun rolledBack = CliRun.run(home, "ledger", "verify", "--dir", dir.toString());
    assertEquals(1, rolledBack.exitCode, rolledBack.toString());
    assertTrue(rolledBack.err.contains("remembered"), rolledBack.err);
    assertEquals(0, CliRun.run(home, "ledger", "verify", "--dir", dir.toString(), "--no-remember").exitCode,
        "the copy itself is a valid log");

    // A fork: the old copy grows by a different record to the same size as the remembered view.
    ok("ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", r3.toString());
    CliRun forked = CliRun.run(home, "ledger", "verify", "--dir", dir.toString(), "--json");
    assertEquals(1, forked.exitCode, forked.toString());
    assertEquals(false, JSON.readTree(forked.out).get("ok").asBoolean());

    // A corrupt remembered checkpoint is a clear input error, not a verification verdict.
    try (var files = Files.list(home.resolve(".hallmark/checkpoints"))) {
      Files.writeString(files.findFirst().orElseThrow(), "garbage");
    }
    CliRun corrupt = CliRun.run(home, "ledger", "verify", "--dir", dir.toString());
    assertEquals(3, corrupt.exitCode, corrupt.toString());
    assertTrue(corrupt.err.contains("--no-remember"), corrupt.err);
  }

  @Test
  void jsonLinesOnStdinAndImageLookup() throws Exception {
    Path dir = setUp();
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(128, 96, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 96; y++) {
      for (int x = 0; x < 128; x++) {
        img.setRGB(x, y, ((x * 2) << 16) | ((y * 2) << 8) | ((x * y) & 0xff));
      }
    }
    Path png = home.resolve("pic.png");
    javax.imageio.ImageIO.write(img, "png", png.toFile());
    String ph = dev.hallmark.watermark.fingerprint.ImageFingerprint.of(dev.hallmark.watermark.image.Images.read(png)).hex();
    String lines = "{\"kind\":\"image\",\"contentSha256\":\"" + sha("pic") + "\",\"imageHash\":\"" + ph + "\"}\n\n"
        + "{\"kind\":\"text\",\"contentSha256\":\"" + sha("t") + "\"}\n";
    java.io.InputStream saved = System.in;
    CliRun add;
    try {
      System.setIn(new java.io.ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)));
      add = ok("ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", "-");
    } finally {
      System.setIn(saved);
    }
    assertEquals("0\tstdin:1\n1\tstdin:3\n", add.out.replace("\r", ""));
    CliRun look = ok("ledger", "lookup", "--dir", dir.toString(), "--image", png.toString(), "--json");
    JsonNode arr = JSON.readTree(look.out);
    assertEquals(0, arr.get(0).get("index").asInt());
    assertEquals(0, arr.get(0).get("distance").asInt());
  }

  @Test
  void aPreSignedRecordWhoseSignatureFailsStopsTheCommandAfterTheRecordsBeforeIt() throws Exception {
    // 40 records signed by their producer before they reach ledger add (checked as batches); the 31st
    // carries the 30th's signature, which is well formed, so only the signature check can catch it.
    Path dir = setUp();
    dev.hallmark.core.SigningKey producer = dev.hallmark.core.SigningKey.fromSeed("outside", new byte[32]);
    StringBuilder lines = new StringBuilder();
    JsonNode previous = null;
    for (int i = 0; i < 40; i++) {
      dev.hallmark.ledger.Record r = dev.hallmark.ledger.Record.builder().kind("text").contentSha256(sha("pre-" + i)).build()
          .sign(producer);
      com.fasterxml.jackson.databind.node.ObjectNode j = r.toJson(true);
      if (i == 30) {
        j.set("signature", previous.get("signature"));
      }
      previous = j;
      lines.append(JSON.writeValueAsString(j)).append('\n');
    }
    java.io.InputStream saved = System.in;
    CliRun add;
    try {
      System.setIn(new java.io.ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8)));
      add = CliRun.run(home, "ledger", "add", "--dir", dir.toString(), "-");
    } finally {
      System.setIn(saved);
    }
    assertTrue(add.exitCode != 0, add.toString());
    String[] acks = add.out.replace("\r", "").strip().split("\n");
    assertEquals(30, acks.length, add.toString());
    assertEquals("29\tstdin:30", acks[29]);
    assertTrue(add.err.contains("stdin:31: producer signature by outside+") && add.err.contains("does not verify"), add.err);
  }

  @Test
  void aStdinLineTooLongForARecordFailsTheCommandNamingItAfterTheRecordsBeforeItAreAdded() throws Exception {
    Path dir = setUp();
    // 1.5 MiB without a line break: refused when the limit is passed, never held whole.
    String lines = "{\"kind\":\"text\",\"contentSha256\":\"" + sha("before") + "\"}\n"
        + "x".repeat(3 << 19) + "\n"
        + "{\"kind\":\"text\",\"contentSha256\":\"" + sha("after") + "\"}\n";
    java.io.InputStream saved = System.in;
    CliRun add;
    try {
      System.setIn(new java.io.ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)));
      add = CliRun.run(home, "ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", "-");
    } finally {
      System.setIn(saved);
    }
    assertTrue(add.exitCode != 0, add.toString());
    assertEquals("0\tstdin:1\n", add.out.replace("\r", ""), add.toString());
    assertTrue(add.err.contains("stdin:2: the line is longer than 1048576 bytes"), add.err);
    assertTrue(ok("ledger", "verify", "--dir", dir.toString(), "--no-remember").out.startsWith("ok: 1 entries"));
    // A record file too large to be a record is refused before it is read.
    Path big = home.resolve("big.json");
    Files.write(big, new byte[(1 << 20) + 1]);
    CliRun file = CliRun.run(home, "ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", big.toString());
    assertTrue(file.exitCode != 0, file.toString());
    assertTrue(file.err.contains(big + ": 1048577 bytes, too large for a record"), file.err);
  }

  @Test
  void acknowledgementsThatCannotBeWrittenFailTheCommandAndARetryAddsNothingTwice() throws Exception {
    Path dir = setUp();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 600; i++) {
      lines.append("{\"kind\":\"text\",\"contentSha256\":\"").append(sha("ack " + i)).append("\"}\n");
    }
    // Standard output that fails after 100 bytes, like a full disk or /dev/full.
    java.io.Writer full = new java.io.Writer() {
      int n;

      @Override
      public void write(char[] c, int off, int len) throws java.io.IOException {
        n += len;
        if (n > 100) {
          throw new java.io.IOException("No space left on device");
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.io.StringWriter err = new java.io.StringWriter();
    java.io.InputStream saved = System.in;
    int code;
    try {
      System.setIn(new java.io.ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8)));
      code = dev.hallmark.cli.Cli.newCommandLine(new java.io.PrintWriter(full), new java.io.PrintWriter(err, true),
          new dev.hallmark.cli.CliEnvironment(Map.of(), home, java.security.SecureRandom::new))
          .execute("ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", "-");
    } finally {
      System.setIn(saved);
    }
    assertTrue(code != 0, "exit " + code + ": " + err);
    assertTrue(err.toString().contains("cannot write the acknowledgements") && err.toString().contains("Re-run the same input"), err.toString());
    // The same input again: every record once, the ones that landed with their first index.
    CliRun retry;
    try {
      System.setIn(new java.io.ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8)));
      retry = ok("ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", "-");
    } finally {
      System.setIn(saved);
    }
    String[] acks = retry.out.replace("\r", "").split("\n");
    assertEquals(600, acks.length);
    for (int i = 0; i < 600; i++) {
      assertEquals(i + "\tstdin:" + (i + 1), acks[i]);
    }
    assertTrue(ok("ledger", "verify", "--dir", dir.toString(), "--no-remember").out.startsWith("ok: 600 entries"));
  }

  @Test
  void badInputGetsOneLineErrors() throws Exception {
    Path dir = setUp();
    Path junk = home.resolve("junk.json");
    Files.writeString(junk, "{\"kind\":\"text\"}");
    CliRun r = CliRun.run(home, "ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", junk.toString());
    assertEquals(3, r.exitCode, r.toString());
    assertTrue(r.err.contains("contentSha256"), r.err);
    assertTrue(r.err.contains("Fix that input, then re-run"), r.err);
    CliRun noFile = CliRun.run(home, "ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", home.resolve("absent.json").toString());
    assertEquals(3, noFile.exitCode, noFile.toString());
    assertTrue(noFile.err.startsWith("hallmark: " + home.resolve("absent.json") + ": no such file;"), noFile.err);
    CliRun addFolder = CliRun.run(home, "ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", home.toString());
    assertTrue(addFolder.err.contains(home + ": is a folder"), addFolder.err);
    CliRun missing = CliRun.run(home, "ledger", "get", "--dir", home.resolve("nope").toString(), "--index", "0");
    assertEquals(3, missing.exitCode, missing.toString());
    CliRun two = CliRun.run(home, "ledger", "lookup", "--dir", dir.toString(), "--sha256", "ab", "--text", "x");
    assertEquals(2, two.exitCode, two.toString());

    String vkey = ok("keys", "public", "--name", "logkey", "--note-name", "ledger.example/cli").out.trim();
    Path r1 = home.resolve("r1.json");
    Files.writeString(r1, "{\"kind\":\"text\",\"contentSha256\":\"" + sha("hello") + "\"}");
    ok("ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", r1.toString());
    Path receipt = home.resolve("r1.tlog-proof");
    ok("ledger", "prove", "--dir", dir.toString(), "--index", "0", "--out", receipt.toString(), "--log-key", vkey);
    // --since takes a receipt's checkpoint (spec section 7); anything else is bad input (3), not a
    // failed log (1, which a script reads as tampering).
    ok("ledger", "verify", "--dir", dir.toString(), "--since", receipt.toString(), "--no-remember", "--log-key", vkey);
    CliRun notCp = CliRun.run(home, "ledger", "verify", "--dir", dir.toString(), "--since", r1.toString(), "--no-remember", "--log-key", vkey);
    assertEquals(3, notCp.exitCode, notCp.toString());
    assertTrue(notCp.err.contains("--since " + r1 + ": neither a signed checkpoint nor a tlog-proof receipt"), notCp.err);
    Path binary = home.resolve("random.bin");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0x80, 2});
    CliRun bin = CliRun.run(home, "ledger", "verify-receipt", binary.toString(), "--log-key", vkey);
    assertEquals(3, bin.exitCode, bin.toString());
    assertTrue(bin.err.contains(binary + ": not UTF-8 text, so not a receipt"), bin.err);
    CliRun folder = CliRun.run(home, "ledger", "verify-receipt", home.toString(), "--log-key", vkey);
    assertEquals(3, folder.exitCode, folder.toString());
    assertTrue(folder.err.contains("is a folder"), folder.err);
    // The key of another log (here the producer's, named 'producer'): said as such, not as a bad log.
    String producerKey = ok("keys", "public", "--name", "producer").out.trim();
    CliRun wrongLog = CliRun.run(home, "ledger", "get", "--dir", dir.toString(), "--index", "0", "--log-key", producerKey);
    assertTrue(wrongLog.err.contains("the checkpoint is of log 'ledger.example/cli' but the log key given is for 'producer'"), wrongLog.err);
    CliRun negative = CliRun.run(home, "ledger", "get", "--dir", dir.toString(), "--index", "-1", "--log-key", vkey);
    assertEquals(2, negative.exitCode, negative.toString());
    assertTrue(negative.err.contains("--index must be 0 or more"), negative.err);
    // An origin longer than a file name can be: verify could never remember its checkpoint.
    Path longDir = home.resolve("long");
    String origin = "ledger.example/" + "x".repeat(300);
    ok("ledger", "init", "--dir", longDir.toString(), "--origin", origin, "--signing-key", "logkey");
    ok("ledger", "add", "--dir", longDir.toString(), "--signing-key", "producer", r1.toString());
    CliRun remembered = ok("ledger", "verify", "--dir", longDir.toString());
    assertTrue(!remembered.err.contains("could not remember"), remembered.err);
    // A log whose checkpoint key is encrypted: the error named the key ('signing key ... is encrypted:
    // a passphrase is required') but not the option, and the user never named that key.
    java.util.Map<String, String> env = java.util.Map.of("PASS", "correct horse battery");
    assertEquals(0, CliRun.run(home, env, "keys", "new", "--type", "signing", "--name", "enclog", "--passphrase-env", "PASS").exitCode);
    Path enc = home.resolve("enc");
    assertEquals(0, CliRun.run(home, env, "ledger", "init", "--dir", enc.toString(), "--origin", "ledger.example/enc",
        "--signing-key", "enclog", "--passphrase-env", "PASS").exitCode);
    CliRun noPass = CliRun.run(home, "ledger", "add", "--dir", enc.toString(), "--signing-key", "producer", r1.toString());
    assertEquals(3, noPass.exitCode, noPass.toString());
    assertTrue(noPass.err.contains("the log's signing key 'enclog' is encrypted: pass --log-passphrase-env VAR"), noPass.err);
    CliRun badBind = CliRun.run(home, "ledger", "serve", "--dir", dir.toString(), "--port", "0", "--bind", "999.1.1.1");
    assertEquals(3, badBind.exitCode, badBind.toString());
    assertTrue(badBind.err.contains("cannot listen on 999.1.1.1"), badBind.err);
  }

  @Test
  void serveReadsTilesAndNeedsTokenForWrites() throws Exception {
    Path dir = setUp();
    Path portFile = home.resolve("ledger.port");
    AtomicReference<CliRun> result = new AtomicReference<>();
    String token = "0123456789abcdef-token";
    Thread t = new Thread(() -> result.set(CliRun.run(home, Map.of("TOK", token),
        "ledger", "serve", "--dir", dir.toString(), "--port", "0", "--token-env", "TOK", "--port-file", portFile.toString())));
    t.start();
    try {
      for (int i = 0; i < 600 && !Files.exists(portFile); i++) {
        Thread.sleep(50);
      }
      int port = Integer.parseInt(Files.readString(portFile).strip());
      HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + port;
      HttpResponse<String> cp = c.send(HttpRequest.newBuilder(URI.create(base + "/checkpoint")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, cp.statusCode());
      assertTrue(cp.body().startsWith("ledger.example/cli\n0\n"), cp.body());
      dev.hallmark.core.SigningKey producer = dev.hallmark.core.Keyring.open(home.resolve(".hallmark")).signingKey("producer", null);
      String rec = dev.hallmark.ledger.Record.builder().kind("image").contentSha256(sha("img")).imageHash(sha("phash")).build()
          .sign(producer).toString();
      HttpRequest noAuth = HttpRequest.newBuilder(URI.create(base + "/add")).timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString(rec)).build();
      HttpResponse<String> refused = c.send(noAuth, HttpResponse.BodyHandlers.ofString());
      assertEquals(401, refused.statusCode());
      assertTrue(refused.headers().firstValue("WWW-Authenticate").isPresent());
      // #19: every answer of 'ledger serve' carries X-Content-Type-Options
      assertEquals("nosniff", refused.headers().firstValue("X-Content-Type-Options").orElse(null));
      HttpRequest add = HttpRequest.newBuilder(URI.create(base + "/add")).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(rec)).build();
      HttpResponse<String> added = c.send(add, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, added.statusCode(), added.body());
      assertEquals(0, JSON.readTree(added.body()).get("indices").get(0).asInt());
      HttpResponse<String> big = c.send(HttpRequest.newBuilder(URI.create(base + "/add")).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("x".repeat(9 << 20))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(413, big.statusCode());
      HttpResponse<String> proof = null;
      for (int i = 0; i < 100; i++) {
        proof = c.send(HttpRequest.newBuilder(URI.create(base + "/prove?sha256=" + sha("img"))).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (proof.statusCode() == 200) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals(200, proof.statusCode(), proof.body());
      assertTrue(proof.body().startsWith("c2sp.org/tlog-proof@v1\n"));
      HttpResponse<byte[]> tile = c.send(HttpRequest.newBuilder(URI.create(base + "/tile/0/000.p/1")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, tile.statusCode());
      assertEquals(32, tile.body().length);
      assertEquals(404, c.send(HttpRequest.newBuilder(URI.create(base + "/tile/../.hallmark-ledger/ledger.json")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      HttpResponse<String> look = c.send(HttpRequest.newBuilder(URI.create(base + "/lookup?imageHash=" + sha("phash") + "&maxDistance=4")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(0, JSON.readTree(look.body()).get(0).get("distance").asInt());
      // A text lookup's values are checked as hallmark serve checks them (they were used as given:
      // -7, 1.5 and "x" as MinHash values, 5 or "abc" as the Jaccard threshold, answered 200).
      String good = "[" + "1,".repeat(127) + "1]";
      for (String body : new String[] {"{\"textMinHash\":[" + "1,".repeat(127) + "-7]}", "{\"textMinHash\":[" + "1,".repeat(127) + "1.5]}",
          "{\"textMinHash\":[" + "1,".repeat(127) + "\"x\"]}", "{\"textMinHash\":" + good + ",\"minJaccard\":5}",
          "{\"textMinHash\":" + good + ",\"minJaccard\":\"abc\"}", "{\"textMinHash\":" + good + ",\"limit\":0}",
          // One object and nothing after it (it was read and the rest dropped), no member twice.
          "{\"textMinHash\":" + good + "} garbage", "{\"textMinHash\":" + good + ",\"minJaccard\":0.9,\"minJaccard\":0.1}"}) {
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(base + "/lookup")).timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), body + " " + r.body());
      }
      HttpResponse<String> fine = c.send(HttpRequest.newBuilder(URI.create(base + "/lookup")).timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString("{\"textMinHash\":" + good + ",\"minJaccard\":0.9}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, fine.statusCode(), fine.body());
      assertEquals(400, c.send(HttpRequest.newBuilder(URI.create(base + "/lookup?imageHash=" + sha("phash") + "&maxDistance=999")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    } finally {
      t.interrupt();
      t.join(30_000);
    }
    assertEquals(0, result.get().exitCode, result.get().toString());
  }
}
