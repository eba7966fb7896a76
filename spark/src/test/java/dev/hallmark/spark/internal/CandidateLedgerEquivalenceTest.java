package dev.hallmark.spark.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hallmark.core.Hex;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Match;
import dev.hallmark.ledger.Record;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry join's answers equal the ledger's: with every registered record as a candidate,
 * {@link CandidateLedger} returns the same matches, in the same order and under the same limits, as a
 * snapshot of the ledger folder, for exact, near-duplicate text and near-duplicate image look-ups
 * (queries derived from registered fingerprints with some values or bits changed, and random ones).
 */
class CandidateLedgerEquivalenceTest {
  private static final long SEED = 20261204L;
  private static final SigningKey LOG = SigningKey.fromSeed("log", seed(1));
  private static final SigningKey PRODUCER = SigningKey.fromSeed("producer", seed(2));
  private static final String ORIGIN = "ledger.example/equivalence";

  @TempDir Path tmp;

  static byte[] seed(int b) {
    byte[] s = new byte[32];
    s[0] = (byte) b;
    return s;
  }

  static String sha(String s) throws Exception {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void theJoinAnswersEveryLookUpAsTheLedgerDoes() throws Exception {
    System.out.println("CandidateLedgerEquivalenceTest seed=" + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, ORIGIN, LOG, "log");
    int n = 300;
    int[][] mhs = new int[n][];
    byte[][] hashes = new byte[n][];
    List<Record> rs = new ArrayList<>();
    List<Candidate> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // Families of near-duplicates: records 10k..10k+9 share most of a base signature and image hash.
      int family = i / 10;
      SplittableRandom f = new SplittableRandom(SEED + family);
      mhs[i] = new int[Record.MINHASH_LENGTH];
      for (int k = 0; k < mhs[i].length; k++) {
        int base = f.nextInt();
        mhs[i][k] = rnd.nextInt(4) == 0 ? rnd.nextInt() : base;
      }
      hashes[i] = new byte[32];
      f.nextBytes(hashes[i]);
      for (int flip = rnd.nextInt(12); flip > 0; flip--) {
        int bit = rnd.nextInt(256);
        hashes[i][bit >> 3] ^= (byte) (1 << (bit & 7));
      }
      String content = sha("doc-" + (i % 250)); // 50 repeated contents: several exact matches each
      boolean image = i % 2 == 0;
      Record.Builder b = Record.builder().kind(image ? "image" : "text").contentSha256(content);
      if (image) {
        b.imageHash(Hex.encode(hashes[i]));
      } else {
        b.textMinHash(mhs[i]);
      }
      rs.add(b.build().sign(PRODUCER));
      all.add(new Candidate(i, content, image ? null : mhs[i], image ? Hex.encode(hashes[i]) : null));
    }
    try (Ledger l = Ledgers.open(dir, LOG, LedgerOptions.DEFAULT)) {
      l.appendAll(rs);
      l.checkpoint();
    }
    int compared = 0;
    int[] nonEmpty = new int[3];
    try (LedgerSnapshot ledger = Ledgers.openSnapshot(dir, LOG.verifierKey(ORIGIN))) {
      CandidateLedger join = new CandidateLedger(ledger.checkpoint());
      join.setCandidates(all);
      for (int q = 0; q < 400; q++) {
        int i = rnd.nextInt(n);
        String content = sha("doc-" + (rnd.nextInt(4) == 0 ? 1000 + q : i % 250));
        List<Match> shaHits = ledger.findBySha256(content);
        assertSame(shaHits, join.findBySha256(content), "sha " + content);
        nonEmpty[0] += shaHits.isEmpty() ? 0 : 1;
        int[] mh = mhs[i].clone();
        for (int k = rnd.nextInt(80); k > 0; k--) {
          mh[rnd.nextInt(mh.length)] = rnd.nextInt();
        }
        double minJaccard = 0.3 + 0.6 * rnd.nextDouble();
        int limit = 1 + rnd.nextInt(12);
        List<Match> textHits = ledger.findText(mh, minJaccard, limit);
        assertSame(textHits, join.findText(mh, minJaccard, limit), "text query " + q);
        nonEmpty[1] += textHits.size() > 1 ? 1 : 0;
        byte[] h = hashes[i].clone();
        for (int flip = rnd.nextInt(16); flip > 0; flip--) {
          int bit = rnd.nextInt(256);
          h[bit >> 3] ^= (byte) (1 << (bit & 7));
        }
        int maxDistance = rnd.nextInt(32);
        List<Match> imageHits = ledger.findImage(Hex.encode(h), maxDistance, limit);
        assertSame(imageHits, join.findImage(Hex.encode(h), maxDistance, limit), "image query " + q);
        nonEmpty[2] += imageHits.size() > 1 ? 1 : 0;
        compared += 3;
      }
    }
    System.out.println("CandidateLedgerEquivalenceTest: " + compared + " look-ups answered alike; with matches: "
        + nonEmpty[0] + " exact, " + nonEmpty[1] + " text and " + nonEmpty[2] + " image with two or more");
    // The comparison means something only if many answers hold several ranked matches.
    assertEquals(true, nonEmpty[0] > 200 && nonEmpty[1] > 50 && nonEmpty[2] > 50, "too few non-trivial answers");
  }

  private static void assertSame(List<Match> expected, List<Match> actual, String what) {
    assertEquals(describe(expected), describe(actual), what);
  }

  private static List<String> describe(List<Match> ms) {
    List<String> out = new ArrayList<>();
    for (Match m : ms) {
      out.add(m.index() + "/" + m.similarity() + "/" + m.distance());
    }
    return out;
  }
}
