package dev.hallmark.cli.verify;

import dev.hallmark.cli.UsageException;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.KeyringException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.provenance.LedgerSource;
import dev.hallmark.provenance.Provenance;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.Ledgers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves {@code --ledger DIR|URL} for tag, verify and serve. */
public final class LedgerLocation {
  private LedgerLocation() {}

  /** True for {@code http://} and {@code https://} locations. */
  public static boolean isUrl(String location) {
    return location.startsWith("http://") || location.startsWith("https://");
  }

  /** The folder of a local ledger, checked to hold a log. */
  public static Path folder(String location) throws LedgerException {
    Path dir = Path.of(location);
    if (!Files.isDirectory(dir)) {
      throw new LedgerException(dir + ": no such ledger folder (create one with 'hallmark tag --ledger " + dir
          + " --origin NAME ...' or 'hallmark ledger init')");
    }
    return dir;
  }

  /**
   * A lookup source for a ledger folder or a served ledger. A folder's log key is read from its
   * configuration and trusted, because the user chose the folder; a server's must be pinned with
   * {@code --log-key} unless {@code trustServer}.
   */
  public static LedgerSource source(String location) throws LedgerException {
    if (isUrl(location)) {
      try {
        return Provenance.remoteLedger(URI.create(location));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--ledger " + location + ": not a valid URL");
      }
    }
    Path dir = folder(location);
    NoteVerifierKey key = Ledgers.configuredLogKey(dir);
    return Provenance.localLedger(dir, key);
  }

  /**
   * Opens a ledger folder for writing, creating the log first (origin {@code origin}, signed by
   * {@code creator}) when the folder is missing or empty. The log key is the keyring key named in the
   * log's configuration, or {@code creator} when that is the same key.
   */
  public static Ledger openForWriting(Path dir, Keyring keyring, SigningKey creator, String origin, char[] passphrase,
      LedgerOptions options) throws LedgerException, KeyringException {
    boolean empty;
    try (var s = Files.exists(dir) ? Files.list(dir) : java.util.stream.Stream.<Path>empty()) {
      empty = s.findAny().isEmpty();
    } catch (java.io.IOException e) {
      throw new LedgerException(dir + ": cannot read the folder (" + e.getMessage() + ")", e);
    }
    if (empty) {
      if (origin == null) {
        throw new UsageException("--ledger " + dir + " holds no log yet: give --origin NAME (e.g. example.com/hallmark) to create one");
      }
      Ledgers.init(dir, origin, creator, creator.name());
      return Ledgers.open(dir, creator, options);
    }
    NoteVerifierKey configured = Ledgers.configuredLogKey(dir);
    SigningKey logKey = creator;
    if (!configured.publicKey().equals(creator.publicKey())) {
      String name = Ledgers.configuredSigningKeyName(dir);
      if (name == null) {
        throw new LedgerException(dir + ": the log is signed by key " + configured.keyIdHex()
            + ", which is not --signing-key and not named in the log's configuration");
      }
      logKey = keyring.signingKey(name, passphrase);
    }
    return Ledgers.open(dir, logKey, options);
  }
}
