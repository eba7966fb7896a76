package dev.hallmark.cli.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path user;
  @TempDir Path data;
  Path home;
  Path corpus;

  @BeforeEach
  void setUp() throws Exception {
    home = user.resolve("home");
    CliRun k = CliRun.run(user, "--home", home.toString(), "keys", "new", "--type", "watermark", "--name", "gen");
    assertEquals(0, k.exitCode, k.toString());
    corpus = data.resolve("corpus.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      lines.add("{\"doc\":\"n" + i + "\",\"body\":\"Human written sentence number " + i
          + " about the weather, the harvest and the price of bread in the market town.\",\"url\":\"https://example.org/" + i + "\"}");
    }
    lines.add("{not json");
    Files.write(corpus, lines);
  }

  private CliRun clean(String... extra) {
    List<String> a = new ArrayList<>(List.of("--home", home.toString(), "clean", "--input", corpus.toString(),
        "--output", data.resolve("out").toString(), "--text-field", "body", "--id-field", "doc", "--threads", "2",
        "--progress", "log"));
    a.addAll(List.of(extra));
    return CliRun.run(user, a.toArray(new String[0]));
  }

  @Test
  void cleansJsonlAndPrintsTheReport() throws Exception {
    CliRun r = clean("--json");
    assertEquals(0, r.exitCode, r.toString());
    JsonNode rep = JSON.readTree(r.out);
    assertEquals(31, rep.get("totals").get("documents").asInt());
    assertEquals(30, rep.get("totals").get("kept").asInt());
    assertEquals(1, rep.get("totals").get("errors").asInt());
    assertTrue(rep.get("totals").get("conserved").asBoolean());
    assertEquals(1e-6, rep.get("policy").get("alpha").asDouble());
    assertEquals(5, rep.get("policy").get("textSchemes").size());
    CliRun one = CliRun.run(user, "--home", home.toString(), "clean", "--input", corpus.toString(), "--output",
        data.resolve("out-kgw").toString(), "--text-field", "body", "--scheme", "kgw", "--json", "--progress", "none");
    assertEquals(0, one.exitCode, one.toString());
    JsonNode oneRep = JSON.readTree(one.out);
    assertEquals(1, oneRep.get("policy").get("textSchemes").size());
    assertTrue(oneRep.get("policy").get("textSchemes").get(0).asText().startsWith("kgw{"), one.out);
    assertTrue(r.err.contains("hallmark clean: done:"), r.err);
    assertTrue(Files.exists(data.resolve("out/report.html")));
    assertEquals(1, rep.get("detector").get("watermarkKeyIds").size());
    String keptFile = Files.readString(data.resolve("out/kept/000-corpus-000000.jsonl"));
    assertTrue(keptFile.startsWith(Files.readAllLines(corpus).get(0) + "\n"), "original lines kept as they were");
  }

  @Test
  void inputsThatGiveNoDocumentsAreNamed() throws Exception {
    // A Common Crawl WAT file (metadata records only, named .warc.wat.gz) was read by Tika as one
    // gzip file and kept as one document with empty text; read as WARC it gave 0 documents in silence.
    Path wat = data.resolve("CC-MAIN-x-00000.warc.wat.gz");
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(Files.newOutputStream(wat))) {
      z.write(warcRecord("warcinfo", "application/warc-fields", "software: test\r\n"));
      for (int i = 0; i < 2; i++) {
        z.write(warcRecord("metadata", "application/json", "{\"Envelope\":{\"WARC-Header-Metadata\":{\"WARC-Type\":\"response\"}}}"));
      }
    }
    Path empty = Files.createFile(data.resolve("empty.jsonl"));
    CliRun r = CliRun.run(user, "--home", home.toString(), "clean", "--input", wat.toString(), "--input", empty.toString(),
        "--output", data.resolve("out-none").toString(), "--json", "--progress", "none");
    assertEquals(0, r.exitCode, r.toString());
    JsonNode rep = JSON.readTree(r.out);
    assertEquals(0, rep.get("totals").get("documents").asInt(), r.out);
    JsonNode w = rep.get("inputs").get(0);
    assertEquals("warc", w.get("kind").asText(), r.out);
    assertEquals(3, w.get("skipped").asInt(), r.out);
    assertTrue(w.get("note").asText().contains("none of its 3 WARC records"), r.out);
    assertTrue(rep.get("inputs").get(1).get("note").asText().endsWith("empty.jsonl: no documents: it is empty or holds only blank lines"), r.out);
    assertTrue(r.err.contains("hallmark clean: warning: " + wat + ": no documents") && r.err.contains("WAT file"), r.err);
    assertTrue(r.err.contains("hallmark clean: warning: " + empty + ": no documents"), r.err);
    assertTrue(Files.readString(data.resolve("out-none/report.html")).contains("clean the matching WARC or WET files"));
    CliRun quiet = CliRun.run(user, "--home", home.toString(), "clean", "--input", wat.toString(),
        "--output", data.resolve("out-quiet").toString(), "--quiet");
    assertEquals("", quiet.err, quiet.toString());
    CliRun some = clean();
    assertTrue(!some.err.contains("warning"), some.err);
    // A wrong --text-field makes every line an error: exit 0 as before, but said.
    CliRun wrongField = CliRun.run(user, "--home", home.toString(), "clean", "--input", corpus.toString(),
        "--output", data.resolve("out-field").toString(), "--text-field", "doc.body", "--progress", "none");
    assertEquals(0, wrongField.exitCode, wrongField.toString());
    assertTrue(wrongField.err.contains("warning: " + corpus + ": every one of its 31 documents is an error")
        && wrongField.err.contains("--text-field"), wrongField.err);
  }

  private static byte[] warcRecord(String type, String contentType, String body) {
    byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String head = "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Date: 2026-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:"
        + java.util.UUID.nameUUIDFromBytes((type + body + System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        + ">\r\nContent-Type: " + contentType + "\r\nContent-Length: " + b.length + "\r\n\r\n";
    byte[] h = head.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] all = new byte[h.length + b.length + 4];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    System.arraycopy("\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, all, h.length + b.length, 4);
    return all;
  }

  @Test
  void quietPrintsNoProgressAndNoNotes() {
    CliRun r = clean("--quiet");
    assertEquals(0, r.exitCode, r.toString());
    assertEquals("", r.err, "--quiet silences progress (even with --progress log) and notes");
    assertTrue(r.out.contains("31 documents"), r.out);
  }

  @Test
  void humanSummaryAndResume() throws Exception {
    CliRun r = clean();
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains("31 documents: 30 kept, 0 removed, 1 errors (all accounted for)"), r.out);
    CliRun again = clean();
    assertEquals(3, again.exitCode, again.toString());
    assertTrue(again.err.contains("--resume"), again.err);
    CliRun resumed = clean("--resume");
    assertEquals(0, resumed.exitCode, resumed.toString());
    CliRun changed = clean("--resume", "--alpha", "1e-3");
    assertEquals(3, changed.exitCode, changed.toString());
    assertTrue(changed.err.contains("same inputs"), changed.err);
    // It says what differs (it said only that something did).
    assertTrue(changed.err.contains("policy.alpha was 1.0E-6, now 0.001"), changed.err);
  }

  @Test
  void ledgerRegisteredTextIsRemovedWithEvidence() throws Exception {
    String registered = "Human written sentence number 7 about the weather, the harvest and the price of bread in the market town.";
    Path ledger = data.resolve("ledger");
    dev.hallmark.core.SigningKey logKey = dev.hallmark.core.SigningKey.fromSeed("log", new byte[32]);
    dev.hallmark.ledger.Ledgers.init(ledger, "ledger.example/clean-test", logKey, null);
    byte[] seed = new byte[32];
    seed[0] = 1;
    dev.hallmark.core.SigningKey producer = dev.hallmark.core.SigningKey.fromSeed("producer", seed);
    try (dev.hallmark.ledger.Ledger l = dev.hallmark.ledger.Ledgers.open(ledger, logKey, dev.hallmark.ledger.LedgerOptions.DEFAULT)) {
      l.append(dev.hallmark.ledger.Record.builder().kind("text")
          .content(registered.getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .timestamp(java.time.Instant.parse("2026-11-01T00:00:00Z")).build().sign(producer));
      l.checkpoint();
    }
    CliRun r = clean("--ledger", ledger.toString(), "--log-key", logKey.verifierKey("ledger.example/clean-test").encode(), "--json");
    assertEquals(0, r.exitCode, r.toString());
    JsonNode rep = JSON.readTree(r.out);
    assertEquals(1, rep.get("totals").get("removed").asInt(), r.out);
    assertEquals(1, rep.get("removedByReason").get("LEDGER_TEXT_EXACT").asInt());
    JsonNode removed = JSON.readTree(Files.readString(data.resolve("out/removed/000-corpus-000000.jsonl")));
    assertEquals("n7", removed.get("id").asText());
    assertEquals(0, removed.get("evidence").get(0).get("ledgerIndex").asInt());
    CliRun wrongKey = CliRun.run(user, "--home", home.toString(), "clean", "--input", corpus.toString(),
        "--output", data.resolve("o4").toString(), "--ledger", ledger.toString(),
        "--log-key", dev.hallmark.core.SigningKey.fromSeed("x", seed).verifierKey("ledger.example/clean-test").encode());
    assertEquals(3, wrongKey.exitCode, wrongKey.toString());
  }

  @Test
  void badArgumentsAreOneLineErrors() {
    CliRun alpha = clean("--alpha", "2");
    assertEquals(2, alpha.exitCode, alpha.toString());
    assertTrue(alpha.err.startsWith("hallmark: --alpha must be in (0, 0.5]"), alpha.err);
    // The option's name, not the library setting's (it said 'textJaccardThreshold must be in (0, 1]').
    CliRun jaccard = clean("--jaccard", "2");
    assertTrue(jaccard.err.startsWith("hallmark: --jaccard must be in (0, 1]"), jaccard.err);
    CliRun logKeyAlone = clean("--log-key", "garbage");
    assertEquals(2, logKeyAlone.exitCode, logKeyAlone.toString());
    assertTrue(logKeyAlone.err.contains("--log-key applies to --ledger"), logKeyAlone.err);
    CliRun missing = CliRun.run(user, "--home", home.toString(), "clean", "--input", data.resolve("nope.jsonl").toString(),
        "--output", data.resolve("o2").toString());
    assertEquals(3, missing.exitCode, missing.toString());
    assertTrue(missing.err.contains("nope.jsonl"), missing.err);
    CliRun noKeys = CliRun.run(user, "--home", user.resolve("empty").toString(), "clean", "--input", corpus.toString(),
        "--output", data.resolve("o3").toString());
    assertEquals(2, noKeys.exitCode, noKeys.toString());
    assertTrue(noKeys.err.contains("nothing to detect"), noKeys.err);
    // The same file twice under two names: every document was checked and kept twice.
    CliRun twiceAbs = CliRun.run(user, "--home", home.toString(), "clean", "--input", corpus.toString(), "--input",
        corpus.getParent().resolve(".").resolve(corpus.getFileName()).toString(), "--output", data.resolve("out-twice").toString());
    assertEquals(3, twiceAbs.exitCode, twiceAbs.toString());
    assertTrue(twiceAbs.err.contains("given twice"), twiceAbs.err);
    // A file inside a folder also given: cleaned twice, once per input (found by a Spark tester, both tools).
    CliRun nested = CliRun.run(user, "--home", home.toString(), "clean", "--input", corpus.getParent().toString(), "--input",
        corpus.toString(), "--output", user.resolve("out-nested").toString());
    assertEquals(3, nested.exitCode, nested.toString());
    assertTrue(nested.err.contains("lies inside the input " + corpus.getParent()), nested.err);
    CliRun badScheme = clean("--scheme", "rot13");
    assertEquals(2, badScheme.exitCode, badScheme.toString());
    assertTrue(badScheme.err.contains("unknown text watermark scheme"), badScheme.err);
    // A mistyped option after --input's values was taken for one more input path.
    CliRun typo = CliRun.run(user, "--home", home.toString(), "clean", "--output", data.resolve("out-typo").toString(),
        "--input", corpus.toString(), "--quiett");
    assertEquals(2, typo.exitCode, typo.toString());
    assertTrue(typo.err.startsWith("hallmark: Unknown option: '--quiett'") && typo.err.contains("--quiet"), typo.err);
    CliRun unknownKey = clean("--key", "nokey");
    assertEquals(3, unknownKey.exitCode, unknownKey.toString());
    // The key records kgw, so --scheme gumbel tests it under nothing: the clean would check nothing.
    CliRun untested = clean("--key", "gen", "--scheme", "gumbel");
    assertEquals(2, untested.exitCode, untested.toString());
    assertTrue(untested.err.contains("watermark key 'gen' records kgw") && untested.err.contains("selects no test"), untested.err);
    CliRun untestedAll = clean("--scheme", "gumbel");
    assertEquals(2, untestedAll.exitCode, untestedAll.toString());
  }
}
