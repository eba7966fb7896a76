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

  @Test
  void duplicateKeysAreRejected() {
    assertThrows(Exception.class, () -> Jcs.canonicalize("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)));
  }
}
