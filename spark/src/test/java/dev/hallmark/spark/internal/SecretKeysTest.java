package dev.hallmark.spark.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.hallmark.core.WatermarkKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The keys executors get keep the text scheme each key records. They lost it, so `hallmark-spark clean`
 * tested every key under all five schemes with default parameters: p-values about 4x larger than
 * `hallmark clean`'s, watermarked documents kept, and a key made with --gamma 0.5 --delta 3 found in 5 of 15.
 */
class SecretKeysTest {
  @Test
  void aBroadcastRoundTripKeepsSecretsAndRecordedSchemes() throws Exception {
    long seed = 20261206L;
    System.out.println("seed " + seed);
    Random r = new Random(seed);
    WatermarkKey kgw = WatermarkKey.generate("k2", r, new WatermarkKey.TextScheme("kgw",
        Map.of("gamma", "0.5", "delta", "3.0", "contextWidth", "1")));
    WatermarkKey any = WatermarkKey.generate("old", r, null);
    SecretKeys keys = new SecretKeys(List.of(kgw, any));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(b)) {
      o.writeObject(keys);
    }
    SecretKeys back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
      back = (SecretKeys) in.readObject();
    }
    List<WatermarkKey> open = back.open();
    assertEquals(2, open.size());
    assertEquals("k2", open.get(0).name());
    assertArrayEquals(kgw.secretBytes(), open.get(0).secretBytes());
    assertEquals(kgw.textScheme(), open.get(0).textScheme());
    assertEquals("contextWidth=1,delta=3.0,gamma=0.5", open.get(0).textScheme().orElseThrow().parametersText());
    assertFalse(open.get(1).textScheme().isPresent(), "a key that records no scheme stays any-scheme");
    assertFalse(back.toString().contains(java.util.HexFormat.of().formatHex(kgw.secretBytes())), back.toString());
  }
}
