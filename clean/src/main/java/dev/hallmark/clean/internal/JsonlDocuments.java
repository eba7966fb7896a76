package dev.hallmark.clean.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.DocumentException;
import java.io.IOException;

/** Parses one JSONL line with Jackson's streaming parser, taking the text and id fields only. */
final class JsonlDocuments {
  private JsonlDocuments() {}

  /** The id found while parsing, for error records: set even when the text is bad. */
  static final class Parsed {
    String id;
    Document doc;
  }

  static void parse(JsonFactory f, RawDoc raw, String input, String textField, String idField, Parsed out)
      throws DocumentException {
    String text = null;
    try (JsonParser p = f.createParser(raw.data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new DocumentException("malformed JSON line: not a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals(textField)) {
          if (v != JsonToken.VALUE_STRING) {
            throw new DocumentException("field '" + textField + "' is not a string");
          }
          if (text != null) {
            // Readers disagree on which of two values counts (Jackson and Python take the last,
            // simdjson-style lookups the first): the one checked need not be the one trained on.
            throw new DocumentException("field '" + textField + "' appears twice; which value counts depends on the reader");
          }
          text = p.getText();
        } else if (name.equals(idField)) {
          if (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            out.id = p.getText();
          } else {
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new DocumentException("malformed JSON line");
      }
      if (p.nextToken() != null) {
        throw new DocumentException("malformed JSON line: data after the closing brace");
      }
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().split("\n", 2)[0];
      if (m.contains("UTF-8") || m.contains("UTF8")) {
        throw new DocumentException("invalid UTF-8: " + m);
      }
      // A constraint error (nesting depth, number or string length) has no location.
      var where = e.getLocation();
      throw new DocumentException("malformed JSON line: " + m + (where == null ? "" : " (column " + where.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new DocumentException("cannot parse line: " + e.getMessage());
    }
    if (text == null) {
      throw new DocumentException("no '" + textField + "' field");
    }
    String id = out.id != null ? out.id : raw.location;
    out.doc = Document.ofText(id, input, raw.location, text);
  }
}
