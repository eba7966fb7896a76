package dev.hallmark.ledger;

import static dev.hallmark.ledger.TestRecords.LOG_KEY;
import static dev.hallmark.ledger.TestRecords.ORIGIN;
import static dev.hallmark.ledger.TestRecords.PRODUCER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.NoteVerifierKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One changed byte anywhere, or a rolled-back or forked log, is detected and located. */
class TamperTest {
  @TempDir Path tmp;

  static final NoteVerifierKey VKEY = LOG_KEY.verifierKey(ORIGIN);

  Path log(String name, int n, int forkAt) throws Exception {
    Path dir = tmp.resolve(name);
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      List<Record> rs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        rs.add(TestRecords.simple(i == forkAt ? 1_000_000 + i : i));
      }
      l.appendAll(rs);
      l.checkpoint();
    }
    Ledgers.verify(dir, VKEY, null, null);
    return dir;
  }

  static void flip(Path file, int offset) throws Exception {
    byte[] b = Files.readAllBytes(file);
    b[offset] ^= 0x01;
    Files.write(file, b);
  }

  String failure(Path dir, String since) {
    VerificationException e = assertThrows(VerificationException.class, () -> Ledgers.verify(dir, VKEY, since, null));
    System.out.println("detected: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void flippedByteInEntryBundle() throws Exception {
    Path dir = log("bundle", 300, -1);
    flip(dir.resolve("tile/entries/000"), 500);
    assertTrue(failure(dir, null).contains("tile/entries/000"));
  }

  @Test
  void flippedByteInLevel0Tile() throws Exception {
    Path dir = log("tile0", 300, -1);
    flip(dir.resolve("tile/0/001.p/44"), 40);
    String m = failure(dir, null);
    assertTrue(m.contains("tile/0/001.p/44") && m.contains("hash 1"), m);
  }

  @Test
  void flippedByteInLevel1Tile() throws Exception {
    Path dir = log("tile1", 300, -1);
    flip(dir.resolve("tile/1/000.p/1"), 7);
    assertTrue(failure(dir, null).contains("tile/1/000.p/1"));
  }

  @Test
  void flippedByteInCheckpoint() throws Exception {
    Path dir = log("cp", 10, -1);
    Path cp = dir.resolve("checkpoint");
    String text = Files.readString(cp);
    int root = text.indexOf('\n', text.indexOf('\n') + 1) + 3;
    flip(cp, root);
    assertTrue(failure(dir, null).startsWith("checkpoint"));
    assertThrows(LedgerException.class, () -> Ledgers.openSnapshot(dir, VKEY));
  }

  @Test
  void badRecordSignatureInAnOtherwiseConsistentLog() throws Exception {
    Path dir = tmp.resolve("sig");
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    Record good = TestRecords.simple(1);
    byte[] sig = good.toJson(true).get("signature").binaryValue();
    sig[10] ^= 1;
    Record forged = good.toBuilder().signature(sig).build();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.builder().verifySignatures(false).build())) {
      l.appendAll(List.of(TestRecords.simple(0), forged));
    }
    String m = failure(dir, null);
    assertTrue(m.contains("entry 1") && m.contains("producer signature"), m);
  }

  @Test
  void badRecordSignatureAmongBatchCheckedEntriesIsNamed() throws Exception {
    // A full tile of 256 entries is checked as batches; entry 201 carries entry 200's signature.
    Path dir = tmp.resolve("batch-sig");
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    List<Record> rs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rs.add(TestRecords.simple(i));
    }
    byte[] other = rs.get(200).toJson(true).get("signature").binaryValue();
    rs.set(201, rs.get(201).toBuilder().signature(other).build());
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.builder().verifySignatures(false).build())) {
      l.appendAll(rs);
    }
    String m = failure(dir, null);
    assertTrue(m.startsWith("entry 201 ") && m.contains("producer signature"), m);
  }

  @Test
  void preparedSignatureChecksGiveTheVerdictsOfSingleChecks() throws Exception {
    // Some records prepared (as single-record appenders do on their own threads), some not, one unsigned,
    // and one carrying another record's signature: each gets exactly what verifySignature says.
    List<Record> rs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rs.add(TestRecords.simple(1000 + i));
    }
    byte[] other = rs.get(3).toJson(true).get("signature").binaryValue();
    rs.set(7, rs.get(7).toBuilder().signature(other).build());
    rs.set(9, rs.get(9).toBuilder().signature(null).producer(null).build());
    List<dev.hallmark.core.Ed25519BatchVerifier.Prepared> prepared = new ArrayList<>();
    for (int i = 0; i < rs.size(); i++) {
      prepared.add(i % 2 == 0 ? rs.get(i).prepareSignatureCheck() : null);
    }
    assertNull(rs.get(9).prepareSignatureCheck());
    VerificationException[] bad = Record.verifySignatures(rs, prepared,
        new dev.hallmark.core.Ed25519BatchVerifier(new java.security.SecureRandom()));
    for (int i = 0; i < rs.size(); i++) {
      String single;
      try {
        rs.get(i).verifySignature();
        single = null;
      } catch (VerificationException e) {
        single = e.getMessage();
      }
      assertEquals(single, bad[i] == null ? null : bad[i].getMessage(), "record " + i);
    }
    assertTrue(bad[7] != null && bad[9] != null, "the forged and the unsigned record fail");
    assertThrows(IllegalArgumentException.class, () -> Record.verifySignatures(rs, prepared.subList(0, 3),
        new dev.hallmark.core.Ed25519BatchVerifier(new java.security.SecureRandom())));
  }

  @Test
  void rolledBackLogIsDetected() throws Exception {
    Path big = log("big", 300, -1);
    String old = Files.readString(big.resolve("checkpoint"), StandardCharsets.UTF_8);
    Path small = log("small", 200, -1);
    assertTrue(failure(small, old).contains("rolled back"));
    Ledgers.verify(big, VKEY, old, null);
  }

  @Test
  void forkedLogIsDetected() throws Exception {
    Path a = log("a", 200, -1);
    String old = Files.readString(a.resolve("checkpoint"), StandardCharsets.UTF_8);
    Path forkSame = log("fork1", 200, 150);
    assertTrue(failure(forkSame, old).contains("forked"));
    Path forkLonger = log("fork2", 260, 3);
    assertTrue(failure(forkLonger, old).contains("forked"));
    Path honest = log("honest", 260, -1);
    Ledgers.verify(honest, VKEY, old, null);
  }

  @Test
  void readsCatchEntriesThatDoNotMatchTheTree() throws Exception {
    Path dir = log("read", 20, -1);
    Path b = dir.resolve("tile/entries/000.p/20");
    byte[] d = Files.readAllBytes(b);
    String s = new String(d, StandardCharsets.ISO_8859_1).replace("demo-model", "demo-modem");
    Files.write(b, s.getBytes(StandardCharsets.ISO_8859_1));
    try (LedgerSnapshot snap = Ledgers.openSnapshot(dir, VKEY)) {
      assertTrue(assertThrows(LedgerException.class, () -> snap.get(3)).getMessage().contains("does not match the Merkle tree"));
    }
    assertTrue(PRODUCER.name().equals("producer"));
  }
}
