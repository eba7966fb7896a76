package dev.hallmark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.core.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The record vectors published in docs/spec/ledger.md (src/test/resources/records/vectors.json). */
class RecordVectorsTest {
  @Test
  void vectorsReproduce() throws Exception {
    JsonNode vs = new ObjectMapper().readTree(RecordVectorsTest.class.getResourceAsStream("/records/vectors.json"));
    Record[] inputs = RecordVectorsGen.inputs();
    assertEquals(inputs.length, vs.size());
    for (int i = 0; i < inputs.length; i++) {
      JsonNode v = vs.get(i);
      Record parsedInput = Record.parse(v.get("input").asText().getBytes(StandardCharsets.UTF_8));
      assertEquals(inputs[i], parsedInput, "vector " + i + " input");
      Record s = parsedInput.sign(RecordVectorsGen.producer());
      assertEquals(v.get("signedBytes").asText(), new String(s.signedBytes(), StandardCharsets.UTF_8), "vector " + i);
      assertEquals(v.get("entry").asText(), new String(s.entryBytes(), StandardCharsets.UTF_8), "vector " + i);
      assertEquals(v.get("leafHashHex").asText(), Hex.encode(Merkle.leafHash(s.entryBytes())), "vector " + i);
      Record fromEntry = Record.parse(v.get("entry").asText().getBytes(StandardCharsets.UTF_8));
      fromEntry.verifySignature();
      assertEquals(s, fromEntry);
    }
  }

  @Test
  void bothCanonicalFormsFromOnePassEqualCanonicalisingEachWhole() throws Exception {
    // Signed bytes and log entry are built from one pass over the members (Jcs.Members); they must equal
    // the canonical form of each JSON object made whole, whatever optional members sort around "signature".
    long seed = 20261204L;
    System.out.println("bothCanonicalForms seed " + seed);
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    com.fasterxml.jackson.databind.node.JsonNodeFactory f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    for (int i = 0; i < 300; i++) {
      Record.Builder b = Record.builder().kind(r.nextBoolean() ? "text" : "image").contentSha256(TestRecords.sha("c" + i));
      if (r.nextBoolean()) {
        int[] mh = new int[Record.MINHASH_LENGTH];
        for (int j = 0; j < mh.length; j++) {
          mh[j] = r.nextInt();
        }
        b.textMinHash(mh);
      }
      if (r.nextBoolean()) {
        b.model("m\u00e9-" + i + "\"q\"");
      }
      if (r.nextBoolean()) {
        b.imageHash(TestRecords.sha("i" + i));
      }
      if (r.nextBoolean()) {
        b.timestamp(java.time.Instant.ofEpochSecond(1_800_000_000L + r.nextInt(1_000_000), r.nextBoolean() ? 0 : 5_000_000));
      }
      if (r.nextBoolean()) {
        b.attributes(f.objectNode().put("z", r.nextInt()).put("a", "x\ny").put("signature", "not the record's"));
      }
      if (r.nextBoolean()) {
        b.watermark(f.objectNode().put("scheme", "kgw").put("keyId", "k" + i));
      }
      Record signed = b.build().sign(TestRecords.PRODUCER);
      for (Record x : new Record[] {signed, Record.parse(signed.entryBytes())}) {
        assertEquals(new String(dev.hallmark.ledger.internal.Jcs.canonicalize(x.toJson(false)), StandardCharsets.UTF_8),
            new String(x.signedBytes(), StandardCharsets.UTF_8), "record " + i);
        assertEquals(new String(dev.hallmark.ledger.internal.Jcs.canonicalize(x.toJson(true)), StandardCharsets.UTF_8),
            new String(x.entryBytes(), StandardCharsets.UTF_8), "record " + i);
      }
      signed.verifySignature();
    }
  }
}
