package dev.hallmark.c2pa.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import dev.hallmark.c2pa.C2paException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * CBOR through Jackson. Reading gives a tree (integer map keys become their decimal strings, tags are
 * dropped, byte strings are binary nodes). Writing encodes plain Java values with definite lengths in
 * the order given: {@code Map} (String or Integer keys), {@code List}, {@code String}, {@code Long} /
 * {@code Integer}, {@code byte[]}, {@code Boolean}, {@code null}, and {@link Tagged}.
 */
public final class Cbor {
  private static final CBORFactory FACTORY = new CBORFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Cbor() {}

  /** A CBOR tag around a value. */
  public record Tagged(int tag, Object value) {}

  public static JsonNode read(byte[] data, String what) throws C2paException {
    try {
      JsonNode n = MAPPER.readTree(data);
      if (n == null || n.isMissingNode()) {
        throw new C2paException(what + ": empty CBOR");
      }
      return n;
    } catch (IOException | RuntimeException e) {
      throw new C2paException(what + ": not valid CBOR (" + e.getMessage() + ")", e);
    }
  }

  public static byte[] write(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = FACTORY.createGenerator(out)) {
      writeValue(g, value);
    } catch (IOException e) {
      throw new IllegalStateException("CBOR encoding to memory failed", e);
    }
    return out.toByteArray();
  }

  private static void writeValue(CBORGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Tagged) {
      Tagged t = (Tagged) v;
      g.writeTag(t.tag());
      writeValue(g, t.value());
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      g.writeStartObject(m, m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object k = e.getKey();
        if (k instanceof Integer || k instanceof Long) {
          g.writeFieldId(((Number) k).longValue());
        } else {
          g.writeFieldName((String) k);
        }
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      g.writeStartArray(l, l.size());
      for (Object o : l) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof String) {
      g.writeString((String) v);
    } else if (v instanceof Integer || v instanceof Long) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof byte[]) {
      g.writeBinary((byte[]) v);
    } else if (v instanceof Boolean) {
      g.writeBoolean((Boolean) v);
    } else {
      throw new IllegalArgumentException("cannot encode " + v.getClass().getName() + " as CBOR");
    }
  }

  /** The text of {@code node.get(field)}, or null when absent or not text. */
  public static String text(JsonNode node, String field) {
    JsonNode n = node == null ? null : node.get(field);
    return n != null && n.isTextual() ? n.asText() : null;
  }

  /** The bytes of a binary node, or null. */
  public static byte[] bytes(JsonNode n) {
    if (n == null || !n.isBinary()) {
      return null;
    }
    try {
      return n.binaryValue();
    } catch (IOException e) {
      return null;
    }
  }
}
