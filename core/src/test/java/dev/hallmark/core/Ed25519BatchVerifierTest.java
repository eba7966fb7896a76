package dev.hallmark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.internal.Ed25519Batch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Batch verification against Bouncy Castle's single check: random batches (seeded, seed printed) with
 * and without a damaged signature, and the ed25519-speccheck edge cases.
 */
class Ed25519BatchVerifierTest {
  private static final long SEED = 20261204L;

  /** Deterministic coefficients for reproducible tests; production code passes a real SecureRandom. */
  private static SecureRandom coefficients(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static final class Batch {
    final List<Ed25519PublicKey> keys = new ArrayList<>();
    final List<byte[]> messages = new ArrayList<>();
    final List<byte[]> signatures = new ArrayList<>();

    void add(Ed25519PublicKey k, byte[] m, byte[] s) {
      keys.add(k);
      messages.add(m);
      signatures.add(s);
    }

    boolean[] verify(Ed25519BatchVerifier v) {
      return v.verify(keys.toArray(new Ed25519PublicKey[0]), messages.toArray(new byte[0][]), signatures.toArray(new byte[0][]));
    }

    boolean[] single() {
      boolean[] ok = new boolean[keys.size()];
      for (int i = 0; i < ok.length; i++) {
        try {
          keys.get(i).verify(messages.get(i), signatures.get(i));
          ok[i] = true;
        } catch (SignatureException e) {
          ok[i] = false;
        }
      }
      return ok;
    }

    /** The internal check alone: every member must be well formed. */
    boolean allValid(SecureRandom random) {
      int n = keys.size();
      Ed25519Batch.Item[] items = new Ed25519Batch.Item[n];
      Ed25519Batch.Key[] points = new Ed25519Batch.Key[n];
      java.security.MessageDigest sha512 = Ed25519Batch.sha512();
      for (int i = 0; i < n; i++) {
        items[i] = Ed25519Batch.prepare(keys.get(i).bytes(), messages.get(i), signatures.get(i), sha512);
        points[i] = keys.get(i).batchKey();
        assertTrue(items[i] != null && points[i] != null, "member " + i + " is well formed");
      }
      return Ed25519Batch.allValid(items, points, random);
    }
  }

  private static Batch randomBatch(SplittableRandom rnd, int n, SigningKey[] signers) {
    Batch b = new Batch();
    for (int i = 0; i < n; i++) {
      SigningKey k = signers[rnd.nextInt(signers.length)];
      byte[] m = new byte[rnd.nextInt(2000)];
      for (int j = 0; j < m.length; j++) {
        m[j] = (byte) rnd.nextInt(256);
      }
      b.add(k.publicKey(), m, k.sign(m));
    }
    return b;
  }

  private static SigningKey[] signers(SplittableRandom rnd, int count) {
    SigningKey[] s = new SigningKey[count];
    for (int i = 0; i < count; i++) {
      byte[] seed = new byte[32];
      for (int j = 0; j < 32; j++) {
        seed[j] = (byte) rnd.nextInt(256);
      }
      s[i] = SigningKey.fromSeed("k" + i, seed);
    }
    return s;
  }

  @Test
  void validBatchesPassTheCombinedCheckItself() {
    System.out.println("Ed25519BatchVerifierTest seed " + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    SigningKey[] keys = signers(rnd, 5);
    for (int n : new int[] {1, 2, 4, 7, 16, 64, 130}) {
      Batch b = randomBatch(rnd, n, n % 2 == 0 ? keys : new SigningKey[] {keys[0]});
      assertTrue(b.allValid(coefficients(SEED + n)), "valid batch of " + n);
    }
  }

  @Test
  void oneDamagedSignatureFailsTheCombinedCheck() {
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    SigningKey[] keys = signers(rnd, 3);
    int damagedChecked = 0;
    for (int round = 0; round < 60; round++) {
      int n = 1 + rnd.nextInt(40);
      Batch b = randomBatch(rnd, n, keys);
      int victim = rnd.nextInt(n);
      int what = round % 3;
      if (what == 0) {
        // another message under the same signature
        byte[] m = b.messages.get(victim).clone();
        m = java.util.Arrays.copyOf(m, m.length + 1);
        b.messages.set(victim, m);
      } else if (what == 1) {
        // S changed but still below L (byte 32 is S's least significant byte)
        byte[] s = b.signatures.get(victim).clone();
        s[32] ^= 1;
        b.signatures.set(victim, s);
      } else {
        // another signer's valid signature over the same message
        SigningKey other = SigningKey.fromSeed("other", new byte[32]);
        b.signatures.set(victim, other.sign(b.messages.get(victim)));
      }
      assertFalse(b.allValid(coefficients(SEED + round)), "round " + round + ": batch of " + n + " with member " + victim + " damaged");
      boolean[] expected = b.single();
      assertFalse(expected[victim]);
      assertArrayEquals(expected, b.verify(new Ed25519BatchVerifier(coefficients(SEED + round))), "round " + round);
      damagedChecked++;
    }
    assertEquals(60, damagedChecked);
  }

  @Test
  void verdictsEqualTheSingleCheckOnRandomBatchesWithMalformedMembers() {
    SplittableRandom rnd = new SplittableRandom(SEED + 2);
    SigningKey[] keys = signers(rnd, 4);
    Ed25519BatchVerifier verifier = new Ed25519BatchVerifier(coefficients(SEED + 2));
    for (int round = 0; round < 40; round++) {
      int n = 1 + rnd.nextInt(70);
      Batch b = randomBatch(rnd, n, keys);
      // damage about one member in five in a random way: a bit anywhere, S >= L, a non-canonical R
      for (int i = 0; i < n; i++) {
        if (rnd.nextInt(5) != 0) {
          continue;
        }
        byte[] s = b.signatures.get(i).clone();
        switch (rnd.nextInt(4)) {
          case 0 -> s[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
          case 1 -> s[63] |= (byte) 0x70; // S far above L
          case 2 -> {
            java.util.Arrays.fill(s, 0, 32, (byte) 0xFF); // y = 2^255 - 1 >= p, sign bit set
          }
          default -> s = java.util.Arrays.copyOf(s, 63);
        }
        b.signatures.set(i, s);
      }
      assertArrayEquals(b.single(), b.verify(verifier), "round " + round + ", batch of " + n);
    }
  }

  @Test
  void speccheckEdgeCasesGetTheSingleChecksVerdict() throws IOException {
    String json;
    try (InputStream in = getClass().getResourceAsStream("/ed25519-speccheck/cases.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = Pattern.compile(
        "\\{\"message\":\"([0-9a-f]*)\",\"pub_key\":\"([0-9a-f]{64})\",\"signature\":\"([0-9a-f]{128})\"\\}").matcher(json);
    SplittableRandom rnd = new SplittableRandom(SEED + 3);
    SigningKey[] honest = signers(rnd, 2);
    int cases = 0;
    int accepted = 0;
    int keysRejected = 0;
    while (m.find()) {
      cases++;
      Ed25519PublicKey key;
      try {
        key = Ed25519PublicKey.of(Hex.decode(m.group(2)));
      } catch (IllegalArgumentException e) {
        keysRejected++; // the key is refused before any signature is checked, batch or not
        continue;
      }
      byte[] msg = Hex.decode(m.group(1));
      byte[] sig = Hex.decode(m.group(3));
      // the case among honest signatures (so the batch path is taken), and repeated with its own key
      Batch b = randomBatch(rnd, 6, honest);
      b.add(key, msg, sig);
      b.add(key, msg, sig);
      boolean[] expected = b.single();
      if (expected[6]) {
        accepted++;
      }
      assertArrayEquals(expected, b.verify(new Ed25519BatchVerifier(coefficients(SEED + cases))), "speccheck case " + (cases - 1));
    }
    assertEquals(10, cases, "cases.json holds the 10 speccheck vectors");
    System.out.println("speccheck: " + cases + " cases, " + accepted + " accepted by the single check, " + keysRejected + " keys refused");
    assertTrue(cases - keysRejected >= 6, "most cases reach signature checking");
  }

  @Test
  void preparedSignaturesGetTheSingleChecksVerdict() {
    // Prepared on other threads than the one that checks them, as a ledger's appenders do.
    SplittableRandom rnd = new SplittableRandom(SEED + 4);
    SigningKey[] keys = signers(rnd, 3);
    Ed25519BatchVerifier verifier = new Ed25519BatchVerifier(coefficients(SEED + 4));
    for (int round = 0; round < 30; round++) {
      int n = 1 + rnd.nextInt(12);
      Batch b = randomBatch(rnd, n, keys);
      if (round % 3 != 0) {
        int victim = rnd.nextInt(n);
        byte[] s = b.signatures.get(victim).clone();
        s[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
        b.signatures.set(victim, s);
      }
      Ed25519BatchVerifier.Prepared[] prepared = java.util.stream.IntStream.range(0, n).parallel()
          .mapToObj(i -> Ed25519BatchVerifier.prepare(b.keys.get(i), b.messages.get(i), b.signatures.get(i)))
          .toArray(Ed25519BatchVerifier.Prepared[]::new);
      boolean[] expected = b.single();
      assertArrayEquals(expected, verifier.verify(prepared), "round " + round + ", batch of " + n);
      if (round % 3 != 0) {
        assertFalse(java.util.stream.IntStream.range(0, n).allMatch(i -> expected[i]), "round " + round + " has a damaged member");
      }
    }
  }

  @Test
  void unequalArraysAreRefused() {
    Ed25519BatchVerifier v = new Ed25519BatchVerifier(coefficients(1));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> v.verify(new Ed25519PublicKey[1], new byte[2][], new byte[1][]));
  }

}
