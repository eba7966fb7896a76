package dev.hallmark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  /** A stream that hands out at most {@code step} bytes per read, as a pipe or socket does. */
  private static InputStream trickle(byte[] b, int step) {
    return new ByteArrayInputStream(b) {
      @Override
      public synchronized int read(byte[] out, int off, int len) {
        return super.read(out, off, Math.min(len, step));
      }
    };
  }

  private static List<String> all(LineReader r) throws IOException {
    List<String> out = new ArrayList<>();
    for (byte[] l = r.next(); l != null; l = r.next()) {
      out.add(new String(l, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void linesEndAtLfKeepTheirCrAndTheLastMayLackItsLf() throws IOException {
    byte[] in = "a\r\n\nbc\n  \ndef".getBytes(StandardCharsets.UTF_8);
    for (int step : new int[] {1, 2, 3, 1 << 20}) {
      assertEquals(List.of("a\r", "", "bc", "  ", "def"), all(new LineReader(trickle(in, step), 10)), "step " + step);
    }
    assertEquals(List.of(), all(new LineReader(new ByteArrayInputStream(new byte[0]), 10)));
    assertEquals(List.of("x"), all(new LineReader(new ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8)), 10)));
  }

  @Test
  void aLineOverTheLimitThrowsAndSkipLineGoesOnWithTheNext() throws IOException {
    // 12345 is at the limit of 5; 123456 is over it, also when it arrives across several reads.
    byte[] in = "12345\n123456\nok\n1234567890".getBytes(StandardCharsets.UTF_8);
    for (int step : new int[] {1, 4, 1 << 20}) {
      LineReader r = new LineReader(trickle(in, step), 5);
      assertArrayEquals("12345".getBytes(StandardCharsets.UTF_8), r.next());
      LineReader.LineTooLongException e = assertThrows(LineReader.LineTooLongException.class, r::next);
      assertEquals(5, e.limit());
      assertEquals("line longer than 5 bytes", e.getMessage());
      assertThrows(IllegalStateException.class, r::next, "next() before skipLine() after an overlong line");
      r.skipLine();
      assertArrayEquals("ok".getBytes(StandardCharsets.UTF_8), r.next());
      assertThrows(LineReader.LineTooLongException.class, r::next);
      r.skipLine();
      assertNull(r.next(), "step " + step);
    }
  }

  @Test
  void aStreamWithoutLineBreaksIsRefusedOnceTheLimitIsPassed() throws IOException {
    // A stream that never ends: the reader must give up after about the limit, not read it all.
    long[] served = {0};
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        served[0]++;
        return 'x';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 'x');
        served[0] += len;
        return len;
      }
    };
    LineReader r = new LineReader(endless, 1 << 20);
    assertThrows(LineReader.LineTooLongException.class, r::next);
    assertTrue(served[0] <= (1 << 20) + (64 << 10), "read " + served[0] + " bytes");
  }

  @Test
  void hasBufferedTellsWhetherTheNextLineMayNeedNoRead() throws IOException {
    LineReader r = new LineReader(new ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.UTF_8)), 10);
    assertFalse(r.hasBuffered());
    r.next();
    assertTrue(r.hasBuffered());
    r.next();
    assertFalse(r.hasBuffered());
  }

  @Test
  void blankMeansOnlySpacesTabsAndCrs() {
    assertTrue(LineReader.isBlank(new byte[0]));
    assertTrue(LineReader.isBlank(" \t\r".getBytes(StandardCharsets.UTF_8)));
    assertFalse(LineReader.isBlank(" x ".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> new LineReader(new ByteArrayInputStream(new byte[0]), 0));
  }
}
