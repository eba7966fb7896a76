package dev.hallmark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The 196 transparency-dev/merkle vectors (src/test/resources/merkle, see its README). */
class MerkleVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path root() throws URISyntaxException {
    return Path.of(MerkleVectorsTest.class.getResource("/merkle/README.md").toURI()).getParent();
  }

  static Stream<Arguments> vectors(String kind) throws Exception {
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root().resolve(kind))) {
      for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".json")).sorted()::iterator) {
        out.add(Arguments.of(root().relativize(p).toString(), JSON.readTree(p.toFile())));
      }
    }
    return out.stream();
  }

  static Stream<Arguments> inclusion() throws Exception {
    return vectors("inclusion");
  }

  static Stream<Arguments> consistency() throws Exception {
    return vectors("consistency");
  }

  @Test
  void all196VectorsArePresent() throws Exception {
    assertEquals(196, inclusion().count() + consistency().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusion")
  void inclusionVector(String name, JsonNode v) {
    long index = u64(v.get("leafIdx"));
    long size = u64(v.get("treeSize"));
    boolean wantErr = v.get("wantErr").asBoolean();
    Throwable t = null;
    try {
      Merkle.verifyInclusion(index, size, b64(v.get("leafHash")), proof(v.get("proof")), b64(v.get("root")));
    } catch (VerificationException e) {
      t = e;
    }
    assertEquals(wantErr, t != null, name + ": " + v.get("desc").asText() + (t == null ? "" : " -> " + t.getMessage()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistency")
  void consistencyVector(String name, JsonNode v) {
    long size1 = u64(v.get("size1"));
    long size2 = u64(v.get("size2"));
    boolean wantErr = v.get("wantErr").asBoolean();
    Throwable t = null;
    try {
      Merkle.verifyConsistency(size1, size2, b64(v.get("root1")), b64(v.get("root2")), proof(v.get("proof")));
    } catch (VerificationException e) {
      t = e;
    }
    assertEquals(wantErr, t != null, name + ": " + v.get("desc").asText() + (t == null ? "" : " -> " + t.getMessage()));
  }

  @Test
  void wrongLengthHashesAreRejected() {
    byte[] h = new byte[32];
    assertThrows(VerificationException.class, () -> Merkle.verifyInclusion(0, 1, new byte[31], List.of(), h));
    assertThrows(VerificationException.class, () -> Merkle.verifyInclusion(0, 1, h, List.of(), new byte[33]));
  }

  static long u64(JsonNode n) {
    BigInteger b = n.bigIntegerValue();
    if (b.signum() < 0 || b.bitLength() > 64) {
      throw new IllegalArgumentException("not a uint64: " + n);
    }
    return b.longValue();
  }

  static byte[] b64(JsonNode n) {
    return n == null || n.isNull() ? null : Base64.getDecoder().decode(n.asText());
  }

  static List<byte[]> proof(JsonNode n) {
    List<byte[]> out = new ArrayList<>();
    if (n != null && !n.isNull()) {
      n.forEach(e -> out.add(b64(e)));
    }
    return out;
  }
}
