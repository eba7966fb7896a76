package dev.hallmark.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hallmark.core.Ed25519BatchVerifier;
import dev.hallmark.core.Ed25519PublicKey;
import dev.hallmark.core.SigningKey;
import java.security.SecureRandom;
import java.security.SignatureException;

/**
 * Batch verification against the single check on fuzzed signatures: a batch of honest signatures
 * with fuzzed members (any 64 bytes as a signature, any bytes as a message, sometimes a fuzzed public
 * key) must give every member exactly the single check's verdict. Regression inputs live under
 * {@code src/test/resources/dev/hallmark/core/fuzz/Ed25519BatchFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes (docs/RELIABILITY.md).
 */
class Ed25519BatchFuzzTest {
  private static final SigningKey HONEST = SigningKey.fromSeed("honest", new byte[32]);

  @FuzzTest(maxDuration = "60s")
  void batchVerdictsEqualSingleChecks(FuzzedDataProvider d) throws Exception {
    int n = 4 + d.consumeInt(0, 12);
    Ed25519PublicKey[] keys = new Ed25519PublicKey[n];
    byte[][] messages = new byte[n][];
    byte[][] signatures = new byte[n][];
    for (int i = 0; i < n; i++) {
      byte[] m = d.consumeBytes(d.consumeInt(0, 64));
      messages[i] = m;
      keys[i] = HONEST.publicKey();
      switch (d.consumeInt(0, 3)) {
        case 0 -> signatures[i] = d.consumeBytes(64); // any bytes (also shorter, when the input runs out)
        case 1 -> {
          // an honest signature with fuzzed bytes xored in
          byte[] s = HONEST.sign(m);
          byte[] x = d.consumeBytes(64);
          for (int j = 0; j < x.length; j++) {
            s[j] ^= x[j];
          }
          signatures[i] = s;
        }
        case 2 -> {
          // a fuzzed public key (when it is one) with any signature
          try {
            keys[i] = Ed25519PublicKey.of(d.consumeBytes(32));
          } catch (IllegalArgumentException notAKey) {
            keys[i] = HONEST.publicKey();
          }
          signatures[i] = d.consumeBytes(64);
        }
        default -> signatures[i] = HONEST.sign(m);
      }
    }
    boolean[] single = new boolean[n];
    for (int i = 0; i < n; i++) {
      try {
        keys[i].verify(messages[i], signatures[i]);
        single[i] = true;
      } catch (SignatureException e) {
        single[i] = false;
      }
    }
    SecureRandom coefficients = SecureRandom.getInstance("SHA1PRNG");
    coefficients.setSeed(d.consumeLong());
    assertArrayEquals(single, new Ed25519BatchVerifier(coefficients).verify(keys, messages, signatures));
  }
}
