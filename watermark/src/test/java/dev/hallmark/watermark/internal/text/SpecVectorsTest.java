package dev.hallmark.watermark.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks every line of the spec's committed test vectors against the implementation. */
class SpecVectorsTest {
  static Stream<Arguments> vectors() throws IOException {
    List<String> expected = new ArrayList<>();
    try (InputStream in = SpecVectorsTest.class.getResourceAsStream("/text/text-watermark-vectors.tsv")) {
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!l.isBlank() && !l.startsWith("#")) {
          expected.add(l);
        }
      }
    }
    List<String> actual = SpecVectors.lines();
    assertEquals(expected.size(), actual.size(), "number of vectors");
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      String e = expected.get(i);
      out.add(Arguments.of(e.substring(0, e.indexOf('\t')) + " #" + i, e, actual.get(i)));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void matchesSpec(String name, String expected, String actual) {
    assertEquals(expected, actual);
  }
}
