package dev.hallmark.provenance.internal;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.http.HttpCaller;
import dev.hallmark.provenance.LedgerSource;
import java.net.URI;
import java.util.List;

/**
 * What every served-ledger source shares: the base address, the one HTTP client, and no locally
 * trusted log key (a served log's key must be pinned by the caller; nothing a server says is trusted).
 */
abstract class RemoteSource implements LedgerSource {
  protected final URI base;
  protected final HttpCaller http;

  RemoteSource(URI base) {
    this.http = HttpCaller.to(base);
    this.base = http.base();
  }

  @Override
  public String describe() {
    return base.toString();
  }

  @Override
  public List<NoteVerifierKey> localLogKeys() {
    return List.of();
  }
}
