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
}
