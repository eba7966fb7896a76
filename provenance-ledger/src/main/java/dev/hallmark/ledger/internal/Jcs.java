package dev.hallmark.ledger.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 8785 JSON Canonicalization Scheme: members sorted by UTF-16 code units, ECMAScript string
 * escaping, ECMAScript shortest round-trip number formatting, no white space.
 */
public final class Jcs {
  /** A strict parser: duplicate keys, trailing tokens and non-finite numbers are errors. */
  public static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private Jcs() {}

  /** Parses JSON text strictly. */
  public static JsonNode parse(byte[] json) throws IOException {
    return STRICT.readTree(json);
  }

  /** The canonical UTF-8 bytes of {@code node}. */
  public static byte[] canonicalize(JsonNode node) {
    StringBuilder b = new StringBuilder();
    write(node, b);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The canonical form of JSON text. */
  public static byte[] canonicalize(byte[] json) throws IOException {
    return canonicalize(parse(json));
  }

  /**
   * An object's canonical members cut at a member name that it does not have: the canonical form of
   * the object, and of the object with that member added, from one pass over its members (a record's
   * signed bytes and its log entry differ by the {@code signature} member alone).
   */
  public static final class Split {
    private final String name;
    private final String before;
    private final String after;

    private Split(String name, String before, String after) {
      this.name = name;
      this.before = before;
      this.after = after;
    }

    /** The canonical form of the object. */
    public byte[] without() {
      StringBuilder b = new StringBuilder(before.length() + after.length() + 3).append('{').append(before);
      if (!before.isEmpty() && !after.isEmpty()) {
        b.append(',');
      }
      return b.append(after).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical form of the object with the member {@code value} added under the split's name. */
    public byte[] with(JsonNode value) {
      StringBuilder b = new StringBuilder(before.length() + after.length() + 128).append('{').append(before);
      if (!before.isEmpty()) {
        b.append(',');
      }
      string(name, b);
      b.append(':');
      write(value, b);
      if (!after.isEmpty()) {
        b.append(',');
      }
      return b.append(after).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * Builds a {@link Split} from members given in canonical order (RFC 8785: names sorted by UTF-16
   * code units), for a caller that knows its members: no JSON tree is built and nothing is sorted.
   * A member out of order, or the split's own name, is refused, so a wrong order cannot produce a
   * non-canonical form.
   */
  public static final class Members {
    private final String name;
    private final StringBuilder before = new StringBuilder(1536);
    private final StringBuilder after = new StringBuilder(1536);
    private String last;

    /** Members to split at {@code name} (which is not one of them). */
    public Members(String name) {
      this.name = name;
    }

    private StringBuilder member(String n) {
      if ((last != null && last.compareTo(n) >= 0) || n.equals(name)) {
        throw new IllegalStateException("member " + n + " out of canonical order (after " + last + ") or the split's name");
      }
      last = n;
      StringBuilder b = n.compareTo(name) < 0 ? before : after;
      if (b.length() > 0) {
        b.append(',');
      }
      Jcs.string(n, b);
      return b.append(':');
    }

    public Members string(String n, String value) {
      Jcs.string(value, member(n));
      return this;
    }

    /** An integer member; {@code |value| <= 2^53}, so that it is its own canonical form. */
    public Members integer(String n, long value) {
      if (value < -(1L << 53) || value > (1L << 53)) {
        throw new IllegalArgumentException(n + " = " + value + " is not exactly representable as a JSON number");
      }
      member(n).append(value);
      return this;
    }

    /** An array of unsigned 32-bit integers. */
    public Members unsignedInts(String n, int[] values) {
      StringBuilder b = member(n).append('[');
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(Integer.toUnsignedLong(values[i]));
      }
      b.append(']');
      return this;
    }

    public Members value(String n, JsonNode value) {
      write(value, member(n));
      return this;
    }

    public Split split() {
      return new Split(name, before.toString(), after.toString());
    }
  }

  private static void write(JsonNode n, StringBuilder b) {
    switch (n.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        names.sort(String::compareTo);
        b.append('{');
        for (int i = 0; i < names.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          string(names.get(i), b);
          b.append(':');
          write(n.get(names.get(i)), b);
        }
        b.append('}');
      }
      case ARRAY -> {
        b.append('[');
        for (int i = 0; i < n.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          write(n.get(i), b);
        }
        b.append(']');
      }
      case STRING -> string(n.textValue(), b);
      case NUMBER -> {
        long v;
        if (n.isIntegralNumber() && n.canConvertToLong() && (v = n.longValue()) >= -(1L << 53) && v <= (1L << 53)) {
          b.append(v); // what number() prints for an exactly representable integer, without the double and the String
        } else {
          b.append(number(n.doubleValue()));
        }
      }
      case BOOLEAN -> b.append(n.booleanValue() ? "true" : "false");
      case NULL -> b.append("null");
      default -> throw new IllegalArgumentException("not a JSON value: " + n.getNodeType());
    }
  }

  static void string(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
        continue;
      }
      if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("JSON string contains a lone surrogate (U+" + Integer.toHexString(c) + ")");
      }
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** ECMAScript {@code Number.prototype.toString} for a finite double (RFC 8785 section 3.2.2.3). */
  public static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("JSON numbers must be finite, got " + d);
    }
    if (d == 0) {
      return "0";
    }
    if (d < 0) {
      return "-" + number(-d);
    }
    if (d < 9007199254740992.0 && d == Math.rint(d)) {
      return Long.toString((long) d);
    }
    BigDecimal exact = new BigDecimal(d);
    BigDecimal shortest = null;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == d) {
        shortest = r;
        break;
      }
    }
    if (shortest == null) {
      throw new IllegalStateException("no round-trip representation for " + d);
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale();
    StringBuilder b = new StringBuilder();
    if (k <= n && n <= 21) {
      b.append(digits);
      b.append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      b.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      b.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      int e = n - 1;
      b.append(digits.charAt(0));
      if (k > 1) {
        b.append('.').append(digits, 1, k);
      }
      b.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return b.toString();
  }
}
