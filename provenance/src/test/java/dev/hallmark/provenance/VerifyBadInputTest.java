package dev.hallmark.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A corrupt image is bad input, not a file "without provenance"; odd but valid content still verifies. */
class VerifyBadInputTest {
  private final Verifier verifier = Provenance.verifier(VerifierSettings.builder().build());

  @Test
  void truncatedPngIsAnInputError() throws Exception {
    byte[] png = TagVerifyTest.resource("kodim20.png");
    byte[] truncated = Arrays.copyOf(png, 200);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> verifier.verify(truncated, "broken.png"));
    assertTrue(e.getMessage().startsWith("broken.png: looks like an image but cannot be decoded"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void aTextThatStartsLikeAnImageMagicIsStillAText() throws Exception {
    Verdict v = verifier.verify("II. The second chapter begins at the harbour.".getBytes(StandardCharsets.UTF_8), "ch2.txt");
    assertEquals("text", v.kind());
    Verdict bin = verifier.verify(new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe}, "blob.bin");
    assertEquals("other", bin.kind());
  }
}
