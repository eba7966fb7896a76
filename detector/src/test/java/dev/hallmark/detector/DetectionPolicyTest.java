package dev.hallmark.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DetectionPolicyTest {
  @Test
  void defaultsAndBudgetSplit() {
    DetectionPolicy p = DetectionPolicy.DEFAULT;
    assertEquals(1e-6, p.alpha());
    assertEquals(1e-6, p.textAlpha(0));
    assertEquals(1e-6 / 4, p.textAlpha(3));
    assertEquals(1e-6 / 4, p.imageAlpha(3));
    // Text share plus every image share never exceeds the budget.
    for (int n = 0; n < 100; n++) {
      int scanned = Math.min(n, p.maxImagesPerDocument());
      assertTrue(p.textAlpha(n) + scanned * p.imageAlpha(n) <= p.alpha() * (1 + 1e-12), "n=" + n);
    }
    assertEquals(1e-6, p.textSettings().alpha(), "the text test's alpha follows the policy");
    assertEquals(31, p.imageHammingThreshold());
  }

  @Test
  void serializableForSparkExecutors() throws Exception {
    DetectionPolicy p = DetectionPolicy.builder().alpha(1e-4).textJaccardThreshold(0.8).build();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(b)) {
      o.writeObject(p);
    }
    try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
      DetectionPolicy q = (DetectionPolicy) i.readObject();
      assertEquals(p, q);
      assertEquals(p.hashCode(), q.hashCode());
      assertEquals(p.toMap(), q.toMap());
    }
    assertEquals(p, p.toBuilder().build());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("alpha", (Consumer<DetectionPolicy.Builder>) b -> b.alpha(0)),
        Arguments.of("alpha", (Consumer<DetectionPolicy.Builder>) b -> b.alpha(0.7)),
        Arguments.of("alpha", (Consumer<DetectionPolicy.Builder>) b -> b.alpha(Double.NaN)),
        Arguments.of("textJaccardThreshold", (Consumer<DetectionPolicy.Builder>) b -> b.textJaccardThreshold(0)),
        Arguments.of("textJaccardThreshold", (Consumer<DetectionPolicy.Builder>) b -> b.textJaccardThreshold(1.1)),
        Arguments.of("minNearDuplicateChars", (Consumer<DetectionPolicy.Builder>) b -> b.minNearDuplicateChars(-1)),
        Arguments.of("imageHammingThreshold", (Consumer<DetectionPolicy.Builder>) b -> b.imageHammingThreshold(32)),
        Arguments.of("maxImagesPerDocument", (Consumer<DetectionPolicy.Builder>) b -> b.maxImagesPerDocument(-1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsOutOfRangeValues(String field, Consumer<DetectionPolicy.Builder> change) {
    DetectionPolicy.Builder b = DetectionPolicy.builder();
    change.accept(b);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }
}
