package dev.hallmark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.Hex;
import dev.hallmark.core.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-entry log worked through in docs/spec/ledger.md sections 2-4. */
class SpecExampleTest {
  @TempDir Path tmp;

  @Test
  void specExampleReproduces() throws Exception {
    byte[] ps = new byte[32];
    byte[] ls = new byte[32];
    for (int i = 0; i < 32; i++) {
      ps[i] = (byte) i;
      ls[i] = (byte) (0x20 + i);
    }
    SigningKey producer = SigningKey.fromSeed("example-producer", ps);
    SigningKey log = SigningKey.fromSeed("example-log", ls);
    Path dir = tmp.resolve("log");
    assertEquals("example.com/hallmark-ledger+2ea9077c+ASmsuuFBvMrwsi4alNNNC8c2HlJtC/4SyJeUvJMilm3X",
        Ledgers.init(dir, "example.com/hallmark-ledger", log, "example-log").encode());
    Record r0 = Record.parse(("{\"kind\":\"text\",\"contentSha256\":\"a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447\"}")
        .getBytes(StandardCharsets.UTF_8)).sign(producer);
    Record r1 = Record.parse(("{\"kind\":\"image\",\"contentSha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"model\":\"demo\"}")
        .getBytes(StandardCharsets.UTF_8)).sign(producer);
    String receipt;
    try (Ledger l = Ledgers.open(dir, log, LedgerOptions.DEFAULT)) {
      l.appendAll(List.of(r0, r1));
      assertEquals("example.com/hallmark-ledger\n2\n0LmK++netQSnR53NbQ3WqpzL6NyWakhCx8nk2H7kObg=\n\n"
          + "\u2014 example.com/hallmark-ledger LqkHfA1ee4wwrDKbEDOlvARXbhTpZy7YVAL05HiZGC3cu7lQyJPPX2TEPFY3j6+eYacRFF7hs/8X3oNcrTP8fxZ3XAA=\n",
          l.checkpoint().encode());
      try (LedgerSnapshot s = l.snapshot()) {
        receipt = s.receipt(1).encode();
      }
    }
    assertTrue(receipt.contains("\nindex 1\nfq09Ii0bG9nhVbm4W5ER8Dkr4pNbgg7T9Mn5PKQtQQg=\n\nexample.com/hallmark-ledger\n2\n"), receipt);
    assertEquals(64, Files.size(dir.resolve("tile/0/000.p/2")));
    assertEquals(628, Files.size(dir.resolve("tile/entries/000.p/2")));
    assertTrue(Hex.encode(Files.readAllBytes(dir.resolve("tile/0/000.p/2"))).startsWith("7ead3d222d1b1bd9e155b9b85b9111f0392be2935b820ed3f4c9f93ca42d4108"));
    assertTrue(Hex.encode(Files.readAllBytes(dir.resolve("tile/entries/000.p/2"))).startsWith("01307b22"));
  }
}
