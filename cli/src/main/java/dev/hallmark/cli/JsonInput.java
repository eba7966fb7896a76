package dev.hallmark.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one strict reader of JSON input in the command line and its server ({@code text detect
 * --jsonl} lines, {@code hallmark serve} request bodies): exactly one JSON value, with nothing but
 * white space after it, and no object naming a member twice. Jackson's plain {@code readTree} keeps
 * the first value of {@code {"text":"a"} garbage} or {@code {...}{...}} and drops the rest in silence.
 */
public final class JsonInput {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private JsonInput() {}

  /** Why a piece of JSON input was refused; the message says what is wrong, without Jackson's location noise. */
  public static final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message) {
      super(message);
    }
  }

  /** The one JSON value of {@code json}. */
  public static JsonNode parse(String json) throws MalformedJsonException {
    try (JsonParser p = MAPPER.createParser(json)) {
      return read(p);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /** The one JSON value of the UTF-8 (or UTF-16/32, as JSON allows) bytes {@code json}. */
  public static JsonNode parse(byte[] json) throws MalformedJsonException {
    try (JsonParser p = MAPPER.createParser(json)) {
      return read(p);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  private static JsonNode read(JsonParser p) throws IOException, MalformedJsonException {
    JsonNode n = MAPPER.readTree(p);
    if (n == null || n.isMissingNode()) {
      throw new MalformedJsonException("no JSON value");
    }
    com.fasterxml.jackson.core.JsonToken next;
    try {
      next = p.nextToken();
    } catch (JacksonException e) {
      next = com.fasterxml.jackson.core.JsonToken.NOT_AVAILABLE; // garbage after the value
    }
    if (next != null) {
      throw new MalformedJsonException("more follows the JSON value (one value is allowed)");
    }
    return n;
  }

  private static MalformedJsonException malformed(IOException e) {
    String m = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
    return new MalformedJsonException(m == null ? "not JSON" : m.replaceAll("\\s+", " "));
  }
}
