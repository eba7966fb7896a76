package dev.hallmark.ledger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 8785 vectors: Appendix B numbers and the section 3.2.4 example. */
class JcsTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0000000000000000, 0",
    "8000000000000000, 0",
    "0000000000000001, 5e-324",
    "8000000000000001, -5e-324",
    "7fefffffffffffff, 1.7976931348623157e+308",
    "ffefffffffffffff, -1.7976931348623157e+308",
    "4340000000000000, 9007199254740992",
    "c340000000000000, -9007199254740992",
    "4430000000000000, 295147905179352830000",
    "44b52d02c7e14af5, 9.999999999999997e+22",
    "44b52d02c7e14af6, 1e+23",
    "44b52d02c7e14af7, 1.0000000000000001e+23",
    "444b1ae4d6e2ef4e, 999999999999999700000",
    "444b1ae4d6e2ef4f, 999999999999999900000",
    "444b1ae4d6e2ef50, 1e+21",
    "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
    "3eb0c6f7a0b5ed8d, 0.000001",
    "41b3de4355555553, 333333333.3333332",
    "41b3de4355555554, 333333333.33333325",
    "41b3de4355555555, 333333333.3333333",
    "41b3de4355555556, 333333333.3333334",
    "41b3de4355555557, 333333333.33333343",
    "becbf647612f3696, -0.0000033333333333333333",
    "43143ff3c1cb0959, 1424953923781206.2",
  })
  void appendixBNumbers(String hex, String expected) {
    assertEquals(expected, Jcs.number(Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16))));
  }

  @Test
  void nonFiniteNumbersAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Jcs.number(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Jcs.number(Double.POSITIVE_INFINITY));
  }

  @Test
  void rfc8785Example() throws Exception {
    String in = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
        + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
        + "  \"literals\": [null, true, false]\n}";
    String want = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
        + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
    assertEquals(want, new String(Jcs.canonicalize(in.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
  }

  @Test
  void sortsByUtf16CodeUnits() throws Exception {
    // RFC 8785 section 3.2.3 sorting example.
    String in = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
        + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
    String out = new String(Jcs.canonicalize(in.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    String[] order = {"Carriage Return", "One", "Control", "Latin Small", "Euro Sign", "Emoji", "Hebrew"};
    int last = -1;
    for (String o : order) {
      int at = out.indexOf(o);
      org.junit.jupiter.api.Assertions.assertTrue(at > last, o + " out of order in " + out);
      last = at;
    }
  }

  /** Characters that exercise every branch of the UTF-8 writer: escapes, controls, 2-, 3- and 4-byte forms. */
  private static final String[] PIECES = {
    "a", "Z", "0", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\u0000", "\u001f", "\u007f",
    "\u0080", "\u00e9", "\u07ff", "\u0800", "\u20ac", "\ud7ff", "\ue000", "\ufb33", "\uffff",
    "\ud83d\ude00", "\udbff\udfff", "\ud800\udc00",
  };

  private static String randomString(java.util.SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(12);
    for (int i = 0; i < n; i++) {
      b.append(PIECES[r.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  /**
   * {@link Jcs.Members} writes UTF-8 bytes itself; both forms of its {@link Jcs.Split} must be the
   * bytes of canonicalising the same object as a tree (random members around the split name).
   */
  @Test
  void membersAndSplitEqualTreeCanonicalisation() {
    long seed = 20261205L;
    System.out.println("JcsTest seed " + seed);
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    com.fasterxml.jackson.databind.node.JsonNodeFactory f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    String[] names = {"attributes", "contentSha256", "hallmarkRecord", "imageHash", "kind", "model", "n", "producer",
        "signature", "textMinHash", "timestamp", "watermark", "zz"};
    for (int round = 0; round < 2000; round++) {
      Jcs.Members m = new Jcs.Members("signature");
      com.fasterxml.jackson.databind.node.ObjectNode tree = f.objectNode();
      for (String name : names) {
        if (name.equals("signature") || r.nextInt(3) == 0) {
          continue;
        }
        switch (r.nextInt(4)) {
          case 0 -> {
            String v = randomString(r);
            m.string(name, v);
            tree.put(name, v);
          }
          case 1 -> {
            long v = r.nextLong(-(1L << 53), (1L << 53) + 1);
            if (r.nextInt(4) == 0) {
              v = r.nextInt(3) - 1;
            }
            m.integer(name, v);
            tree.put(name, v);
          }
          case 2 -> {
            int[] v = new int[r.nextInt(6)];
            com.fasterxml.jackson.databind.node.ArrayNode a = tree.putArray(name);
            for (int i = 0; i < v.length; i++) {
              v[i] = r.nextInt(3) == 0 ? (r.nextBoolean() ? 0 : -1) : r.nextInt();
              a.add(Integer.toUnsignedLong(v[i]));
            }
            m.unsignedInts(name, v);
          }
          default -> {
            com.fasterxml.jackson.databind.node.ObjectNode o = f.objectNode();
            o.put(randomString(r), randomString(r));
            o.put("k", r.nextInt());
            m.value(name, o);
            tree.set(name, o);
          }
        }
      }
      Jcs.Split split = m.split();
      assertEquals(new String(Jcs.canonicalize(tree), StandardCharsets.UTF_8),
          new String(split.without(), StandardCharsets.UTF_8), "round " + round);
      String sig = randomString(r);
      tree.put("signature", sig);
      org.junit.jupiter.api.Assertions.assertArrayEquals(Jcs.canonicalize(tree), split.with(f.textNode(sig)), "round " + round);
    }
  }

  @Test
  void aLoneSurrogateIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Jcs.Members("signature").string("kind", "a\ud800b"));
    assertThrows(IllegalArgumentException.class, () -> new Jcs.Members("signature").string("kind", "\udc00"));
  }

  @Test
  void duplicateKeysAreRejected() {
    assertThrows(Exception.class, () -> Jcs.canonicalize("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)));
  }
}
