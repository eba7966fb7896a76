package dev.hallmark.cli.options;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Parses a {@code --log-key} value: a C2SP verifier key (name+id+key) or a file holding one. */
public final class LogKeys {
  /** A verifier key file is one short line; anything larger is not one. */
  static final int MAX_FILE_BYTES = 4096;

  private LogKeys() {}

  public static NoteVerifierKey parse(String option) throws HallmarkException, IOException {
    String v = option;
    Path p = option.contains("+") ? null : Path.of(option);
    if (p != null && Files.isRegularFile(p)) {
      if (Files.size(p) > MAX_FILE_BYTES) {
        throw new HallmarkException("--log-key '" + option + "': not a verifier key file (" + Files.size(p)
            + " bytes); give the key 'ledger init' printed (name+id+key) or the file it was saved to");
      }
      try {
        v = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(p))).toString().trim();
      } catch (CharacterCodingException e) {
        throw new HallmarkException("--log-key '" + option + "': not a verifier key file (not text); give the key"
            + " 'ledger init' printed (name+id+key) or the file it was saved to");
      }
    } else if (p != null && Files.isDirectory(p)) {
      throw new HallmarkException("--log-key '" + option + "': is a folder; give a verifier key or a file holding one");
    }
    try {
      return NoteVerifierKey.parse(v);
    } catch (IllegalArgumentException e) {
      throw new HallmarkException("--log-key '" + option + "': " + e.getMessage());
    }
  }
}
