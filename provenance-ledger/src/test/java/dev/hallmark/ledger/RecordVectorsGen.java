package dev.hallmark.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallmark.core.Hex;
import dev.hallmark.core.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Prints the record test vectors of docs/spec/ledger.md (run once; the output is checked in). */
public final class RecordVectorsGen {
  static SigningKey producer() {
    byte[] seed = new byte[32];
    for (int i = 0; i < 32; i++) {
      seed[i] = (byte) i;
    }
    return SigningKey.fromSeed("example-producer", seed);
  }

  static Record[] inputs() throws Exception {
    Record minimal = Record.parse("{\"kind\":\"text\",\"contentSha256\":\"a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447\"}"
        .getBytes(StandardCharsets.UTF_8));
    int[] mh = new int[Record.MINHASH_LENGTH];
    for (int i = 0; i < mh.length; i++) {
      mh[i] = (int) ((i * 2654435761L) & 0xffffffffL);
    }
    ObjectNode wm = JsonNodeFactory.instance.objectNode();
    wm.put("scheme", "kgw-selfhash");
    wm.put("keyId", "3f9a0c1d2e4b5a69");
    wm.putObject("parameters").put("gamma", 0.25).put("delta", 2.0).put("context", 4);
    wm.put("payload", "c0ffee");
    ObjectNode attrs = JsonNodeFactory.instance.objectNode();
    attrs.put("prompt-id", "run-42/7");
    attrs.put("note", "caf\u00e9 \u20ac \"quoted\"\n");
    Record full = Record.builder().kind("image").contentSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .textMinHash(mh).imageHash("0f0f0f0f00ff00ff3333cccc5555aaaa0123456789abcdeffedcba9876543210").model("demo-diffusion-2")
        .watermark(wm).timestamp("2026-11-25T10:00:00Z").attributes(attrs).build();
    return new Record[] {minimal, full};
  }

  public static void main(String[] args) throws Exception {
    SigningKey k = producer();
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Record in : inputs()) {
      Record s = in.sign(k);
      ObjectNode v = out.addObject();
      v.put("producerSeedHex", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
      v.put("producerKeyName", "example-producer");
      v.put("input", in.toString());
      v.put("signedBytes", new String(s.signedBytes(), StandardCharsets.UTF_8));
      v.put("signature", Base64.getEncoder().encodeToString(s.toJson(true).get("signature").binaryValue()));
      v.put("entry", new String(s.entryBytes(), StandardCharsets.UTF_8));
      v.put("leafHashHex", Hex.encode(Merkle.leafHash(s.entryBytes())));
    }
    System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
  }
}
