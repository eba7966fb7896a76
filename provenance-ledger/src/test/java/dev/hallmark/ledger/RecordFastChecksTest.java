package dev.hallmark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.hallmark.ledger.internal.Jcs;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written checks on the append path agree with what they replace: the timestamp fast path
 * with {@code Instant.parse(s).toString().equals(s)}, the kind and hex checks with their regular
 * expressions, and canonical JSON's integer fast path with the double path.
 */
class RecordFastChecksTest {
  static final long SEED = 2026_1205_2L;

  /** The old rule: canonical exactly when Instant.parse round-trips the string. */
  static boolean canonical(String s) {
    try {
      return Instant.parse(s).toString().equals(s);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  @Test
  void timestampFastPathAcceptsExactlyCanonicalInstants() {
    System.out.println("RecordFastChecksTest seed=" + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    for (int i = 0; i < 200_000; i++) {
      long sec = rnd.nextLong(-62_167_219_200L, 253_402_300_800L); // years 0000-9999
      int nanos = switch (rnd.nextInt(5)) {
        case 0 -> 0;
        case 1 -> rnd.nextInt(1000) * 1_000_000;
        case 2 -> rnd.nextInt(1_000_000) * 1_000;
        default -> rnd.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(sec, nanos);
      String s = t.toString();
      assertEquals(t, Record.canonicalInstant(s), s);
      // Mutations: each must get the old rule's verdict (the fast path says null when unsure).
      char[] c = s.toCharArray();
      int p = rnd.nextInt(c.length);
      c[p] = "0123456789:-TZ.+ x".charAt(rnd.nextInt(18));
      String m = new String(c);
      Instant fast = Record.canonicalInstant(m);
      if (fast != null) {
        assertEquals(Instant.parse(m), fast, m);
      }
      assertEquals(canonical(m), fast != null, m);
      String longer = s.substring(0, s.length() - 1) + (s.contains(".") ? "0Z" : ".000Z");
      assertNull(Record.canonicalInstant(longer), longer);
      assertEquals(false, canonical(longer), longer);
    }
    for (String s : new String[] {"2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2000-02-29T23:59:59Z",
        "2026-12-04T23:59:60Z", "2026-12-04T24:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z",
        "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-12-04T10:00:00.100Z", "2026-12-04T10:00:00.1Z",
        "2026-12-04T10:00:00.000100Z", "2026-12-04t10:00:00Z", "+10000-01-01T00:00:00Z", "2026-12-04T10:00Z"}) {
      Instant fast = Record.canonicalInstant(s);
      if (fast != null) {
        assertEquals(Instant.parse(s), fast, s);
      }
      if (s.matches("\\d{4}-.*")) {
        assertEquals(canonical(s), fast != null, s);
      } else {
        assertNull(fast, s);
      }
    }
  }

  @Test
  void kindAndHexChecksMatchTheirPatterns() {
    Pattern kind = Pattern.compile("[a-z0-9-]{1,32}");
    Pattern hex = Pattern.compile("[0-9a-f]{64}");
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    String alphabet = "abcfz09-_A.F ";
    for (int i = 0; i < 100_000; i++) {
      StringBuilder b = new StringBuilder();
      int len = rnd.nextInt(4) == 0 ? 64 + rnd.nextInt(3) - 1 : rnd.nextInt(36);
      for (int k = 0; k < len; k++) {
        b.append(alphabet.charAt(rnd.nextInt(rnd.nextBoolean() ? 7 : alphabet.length())));
      }
      String s = b.toString();
      assertEquals(kind.matcher(s).matches(), Record.isKind(s), s);
      assertEquals(hex.matcher(s).matches(), Record.isHex256(s), s);
    }
  }

  @Test
  void integersAreCanonicalisedAsThroughTheDoublePath() throws Exception {
    ObjectMapper m = new ObjectMapper();
    SplittableRandom rnd = new SplittableRandom(SEED + 2);
    long[] edges = {0, 1, -1, (1L << 53), -(1L << 53), (1L << 53) + 1, -(1L << 53) - 1, Long.MAX_VALUE, Long.MIN_VALUE,
        Integer.MAX_VALUE, Integer.MIN_VALUE};
    for (int i = 0; i < 20_000 + edges.length; i++) {
      long v = i < edges.length ? edges[i] : rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt();
      String text = Long.toString(v);
      String canon = new String(Jcs.canonicalize(m.readTree("[" + text + "]")), java.nio.charset.StandardCharsets.UTF_8);
      assertEquals("[" + Jcs.number((double) v) + "]", canon, text);
    }
    assertEquals("[1.2345678901234568e+29]",
        new String(Jcs.canonicalize(m.readTree("[123456789012345678901234567890]")), java.nio.charset.StandardCharsets.UTF_8));
  }
}
