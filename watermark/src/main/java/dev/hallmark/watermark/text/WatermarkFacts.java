package dev.hallmark.watermark.text;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a ledger record says about a text watermark: scheme, flat parameters, tokenizer and the
 * public key id (never the secret). Immutable.
 */
public record WatermarkFacts(String scheme, Map<String, Object> parameters, String tokenizer, String keyId) {
  public WatermarkFacts {
    Objects.requireNonNull(scheme);
    Objects.requireNonNull(tokenizer);
    Objects.requireNonNull(keyId);
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** Facts for {@code params} under key id {@code keyId}, tokenized with {@code tokenizer}. */
  public static WatermarkFacts of(WatermarkParameters params, String tokenizer, String keyId) {
    return new WatermarkFacts(params.scheme().label(), params.toMap(), tokenizer, keyId);
  }

  /** A flat JSON-ready map: {@code scheme}, {@code keyId}, {@code tokenizer}, {@code parameters}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "text");
    m.put("scheme", scheme);
    m.put("keyId", keyId);
    m.put("tokenizer", tokenizer);
    m.put("parameters", parameters);
    return m;
  }

  /** Compact JSON object with keys in the order of {@link #toMap()}. */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{\"type\":\"text\",\"scheme\":");
    str(sb, scheme).append(",\"keyId\":");
    str(sb, keyId).append(",\"tokenizer\":");
    str(sb, tokenizer).append(",\"parameters\":{");
    boolean first = true;
    for (Map.Entry<String, Object> e : parameters.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      str(sb, e.getKey()).append(':');
      Object v = e.getValue();
      if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else {
        str(sb, String.valueOf(v));
      }
    }
    return sb.append("}}").toString();
  }

  private static StringBuilder str(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"');
  }
}
