package dev.hallmark.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallmark.core.Hex;
import dev.hallmark.core.SigningKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

/** Deterministic records and keys for tests. */
final class TestRecords {
  static final SigningKey LOG_KEY = SigningKey.fromSeed("log", seed(1));
  static final SigningKey PRODUCER = SigningKey.fromSeed("producer", seed(2));
  static final String ORIGIN = "ledger.example/test";

  private TestRecords() {}

  static byte[] seed(int b) {
    byte[] s = new byte[32];
    s[0] = (byte) b;
    return s;
  }

  static String sha(String s) {
    return Hex.encode(Merkle.sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** A small signed text record for content "content-i". */
  static Record simple(long i) {
    return Record.builder().kind("text").contentSha256(sha("content-" + i)).model("demo-model")
        .timestamp(Instant.ofEpochSecond(1_800_000_000L + i)).build().sign(PRODUCER);
  }

  static int[] randomMinHash(Random r) {
    int[] mh = new int[Record.MINHASH_LENGTH];
    for (int i = 0; i < mh.length; i++) {
      mh[i] = r.nextInt();
    }
    return mh;
  }

  static ObjectNode watermark(String keyId) {
    ObjectNode w = JsonNodeFactory.instance.objectNode();
    w.put("scheme", "kgw");
    w.put("keyId", keyId);
    w.putObject("parameters").put("gamma", 0.25).put("delta", 2.0);
    w.put("payload", "00ff");
    return w;
  }
}
