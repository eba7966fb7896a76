package dev.hallmark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-line error wording both command lines (hallmark, hallmark-spark) share. */
class ErrorTextTest {
  @Test
  void errorTextNamesTheFileAndSuggestsCloseNames() {
    assertEquals("/x/y: no such file or folder", ErrorText.describe(new java.nio.file.NoSuchFileException("/x/y")));
    assertEquals("/x/y: permission denied", ErrorText.describe(new java.io.UncheckedIOException(new java.nio.file.AccessDeniedException("/x/y"))));
    assertEquals("; did you mean '--output'?", ErrorText.suggestion("--ouptut=x", List.of("--output", "--input", "--help")));
    assertEquals("", ErrorText.suggestion("--zzzzzz", List.of("--output", "--input")));
    assertTrue(ErrorText.isBadInput(new HallmarkException("x")));
    assertFalse(ErrorText.isBadInput(new IllegalStateException("x")));
  }
}
