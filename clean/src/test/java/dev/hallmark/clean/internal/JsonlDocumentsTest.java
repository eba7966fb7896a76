package dev.hallmark.clean.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import dev.hallmark.detector.DocumentException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonlDocumentsTest {
  /** #19 item 4: JSON nested 100,000 deep gave an error text that was a NullPointerException. */
  @Test
  void deepNestingIsAOneLineJsonErrorNotANullPointerException() {
    String deep = "{\"id\":\"d\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"text\":\"t\"}";
    RawDoc raw = RawDoc.bytes("line 1", null, deep.getBytes(StandardCharsets.UTF_8), null);
    DocumentException e = assertThrows(DocumentException.class,
        () -> JsonlDocuments.parse(new JsonFactory(), raw, "in.jsonl", "text", "id", new JsonlDocuments.Parsed()));
    assertTrue(e.getMessage().startsWith("malformed JSON line: ") && e.getMessage().toLowerCase().contains("nesting"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
  }

  /**
   * A line with the text field twice was read by its last value and kept byte for byte: a reader
   * that takes the first (simdjson-style lookups) trained on the other, unchecked, text.
   */
  @Test
  void aTextFieldGivenTwiceIsAnError() throws Exception {
    String line = "{\"id\":\"dup\",\"text\":\"generated words\",\"text\":\"An ordinary sentence.\"}";
    RawDoc raw = RawDoc.bytes("line 1", null, line.getBytes(StandardCharsets.UTF_8), null);
    DocumentException e = assertThrows(DocumentException.class,
        () -> JsonlDocuments.parse(new JsonFactory(), raw, "in.jsonl", "text", "id", new JsonlDocuments.Parsed()));
    assertTrue(e.getMessage().contains("field 'text' appears twice"), e.getMessage());
    // Another field twice is not the checker's concern.
    String other = "{\"id\":\"a\",\"meta\":1,\"meta\":2,\"text\":\"words\"}";
    JsonlDocuments.Parsed ok = new JsonlDocuments.Parsed();
    JsonlDocuments.parse(new JsonFactory(), RawDoc.bytes("line 1", null, other.getBytes(StandardCharsets.UTF_8), null), "in.jsonl",
        "text", "id", ok);
    assertTrue(ok.doc.text().equals("words"));
  }
}
