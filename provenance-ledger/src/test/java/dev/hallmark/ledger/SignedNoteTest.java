package dev.hallmark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedNoteTest {
  static final String C2SP_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
  static final String C2SP_NOTE = "This is an example message.\n\n"
      + "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

  @Test
  void c2spExampleNoteVerifies() throws Exception {
    SignedNote n = SignedNote.parse(C2SP_NOTE);
    n.verify(NoteVerifierKey.parse(C2SP_VKEY));
    assertEquals("This is an example message.\n", n.text());
    assertEquals(C2SP_NOTE, n.encode());
  }

  @Test
  void c2spExampleFailsWhenTextChanges() {
    SignedNote n = SignedNote.parse(C2SP_NOTE.replace("example message", "example massage"));
    assertThrows(VerificationException.class, () -> n.verify(NoteVerifierKey.parse(C2SP_VKEY)));
  }

  @Test
  void unknownKeysAreIgnoredButSomeKnownSignatureIsRequired() throws Exception {
    SigningKey a = SigningKey.fromSeed("a", new byte[32]);
    byte[] seed = new byte[32];
    seed[0] = 1;
    SigningKey b = SigningKey.fromSeed("b", seed);
    SignedNote n = SignedNote.sign("hello\n", a, "log.example/a").cosign(b, "witness.example");
    SignedNote back = SignedNote.parse(n.encode());
    back.verify(a.verifierKey("log.example/a"));
    back.verify(b.verifierKey("witness.example"));
    assertThrows(VerificationException.class, () -> back.verify(b.verifierKey("log.example/a")));
  }

  @Test
  void malformedNotesAreRejected() {
    for (String bad : List.of("no newline", "text\n", "text\n\n", "text\n\nnot a signature\n",
        "text\n\n\u2014 name !!!\n", "te\u0001xt\n\n\u2014 a AAAAAAA=\n", "text\n\n\u2014 a AAAA\n")) {
      assertThrows(IllegalArgumentException.class, () -> SignedNote.parse(bad), bad);
    }
  }

  @Test
  void checkpointRoundTripsAndIsStrict() throws Exception {
    Checkpoint c = new Checkpoint("example.com/log", 70000, new byte[32], List.of("ext line"));
    assertEquals(c, Checkpoint.parse(c.text()));
    assertEquals("example.com/log\n70000\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\next line\n", c.text());
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.parse("o\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"));
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.parse("o\n1\nAAAA\n"));
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.parse("o\n18446744073709551616\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"));
    assertEquals(-1L, Checkpoint.parse("o\n18446744073709551615\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n").size());
    SigningKey k = SigningKey.fromSeed("log", new byte[32]);
    SignedCheckpoint s = SignedCheckpoint.sign(new Checkpoint("example.com/log", 3, new byte[32]), k);
    SignedCheckpoint.verify(s.encode(), k.verifierKey("example.com/log"));
    assertThrows(VerificationException.class, () -> SignedCheckpoint.verify(s.encode(), k.verifierKey("example.com/other")));
    assertThrows(VerificationException.class, () -> SignedCheckpoint.verify(s.encode().replace("\n3\n", "\n4\n"), k.verifierKey("example.com/log")));
  }
}
