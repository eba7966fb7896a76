package dev.hallmark.ledger.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Checkpoint;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.ledger.SignedNote;
import dev.hallmark.ledger.VerificationException;
import dev.hallmark.ledger.internal.Bundles;
import dev.hallmark.ledger.internal.TilePaths;
import java.nio.charset.StandardCharsets;

/**
 * Every parser of untrusted ledger input, fuzzed: each must either return or throw its documented
 * exception ({@link LedgerException}, {@link IllegalArgumentException}, {@link VerificationException});
 * any other exception, an error or a hang is a finding. The normal test run replays the committed
 * inputs under {@code src/test/resources/dev/hallmark/ledger/fuzz/LedgerParsersFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes (see docs/RELIABILITY.md).
 */
class LedgerParsersFuzzTest {
  private static final NoteVerifierKey LOG_KEY = SigningKey.fromSeed("log", new byte[32]).verifierKey("fuzz.example/log");

  @FuzzTest(maxDuration = "30s")
  void recordJson(byte[] data) {
    try {
      Record r = Record.parse(data);
      Record.parse(r.toString().getBytes(StandardCharsets.UTF_8));
    } catch (LedgerException | IllegalArgumentException expected) {
      // documented rejection
    }
  }

  @FuzzTest(maxDuration = "30s")
  void signedNotesAndCheckpoints(FuzzedDataProvider d) {
    String text = d.consumeRemainingAsString();
    try {
      SignedNote.parse(text);
    } catch (IllegalArgumentException expected) {
      // documented rejection
    }
    try {
      Checkpoint.parse(text);
    } catch (IllegalArgumentException expected) {
      // documented rejection
    }
    try {
      SignedCheckpoint.verify(text, LOG_KEY);
    } catch (VerificationException | IllegalArgumentException expected) {
      // documented rejection
    }
  }

  @FuzzTest(maxDuration = "30s")
  void tlogProofReceipts(FuzzedDataProvider d) {
    try {
      Receipt.parse(d.consumeRemainingAsString()).verify(LOG_KEY);
    } catch (VerificationException | IllegalArgumentException expected) {
      // documented rejection
    }
  }

  @FuzzTest(maxDuration = "30s")
  void tilesAndBundles(FuzzedDataProvider d) {
    int expected = d.consumeInt(0, 256);
    boolean prefix = d.consumeBoolean();
    String path = d.consumeString(64);
    TilePaths.isValid(path);
    try {
      Bundles.decode(d.consumeRemainingAsBytes(), expected, prefix);
    } catch (IllegalArgumentException expected2) {
      // documented rejection
    }
  }
}
