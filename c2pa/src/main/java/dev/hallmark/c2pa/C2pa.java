package dev.hallmark.c2pa;

import dev.hallmark.c2pa.internal.Container;
import dev.hallmark.c2pa.internal.Validator;
import dev.hallmark.c2pa.internal.Writer;
import java.time.Instant;
import java.util.Optional;

/**
 * Content Credentials (C2PA 2.x) for JPEG and PNG: read and validate a manifest store, or sign and
 * embed a new one. Stateless and thread-safe.
 */
public final class C2pa {
  private C2pa() {}

  /** The result of {@link #sign}: the signed asset, its manifest store alone, and the manifest label. */
  public record Signed(byte[] asset, byte[] manifestStore, String manifestLabel) {}

  /**
   * Reads and validates the manifest store embedded in {@code asset} at the current time; empty when
   * the asset carries none.
   *
   * A file holding more than one manifest store is reported {@code Invalid} (its first store validated,
   * with the failure {@code hallmark.manifestStore.multiple}), not thrown.
   *
   * @throws C2paException when the asset is neither JPEG nor PNG, or its container or store is broken
   */
  public static Optional<C2paReport> read(byte[] asset, TrustAnchors anchors) throws C2paException {
    return read(asset, anchors, Instant.now());
  }

  /** As {@link #read(byte[], TrustAnchors)}, judging certificate validity at {@code at}. */
  public static Optional<C2paReport> read(byte[] asset, TrustAnchors anchors, Instant at) throws C2paException {
    MediaFormat f = format(asset);
    Container.Found found = Container.find(asset, f);
    if (found == null) {
      return Optional.empty();
    }
    return Optional.of(Validator.validate(found.store(), asset, found.storeCount(), anchors, at));
  }

  /** The raw JUMBF manifest store embedded in {@code asset} (the first, when it holds more), if any. */
  public static Optional<byte[]> manifestStore(byte[] asset) throws C2paException {
    Container.Found found = Container.find(asset, format(asset));
    return found == null ? Optional.empty() : Optional.of(found.store());
  }

  /**
   * Validates a manifest store held apart from its asset (for instance one recovered from a ledger
   * record through the watermark): signature, certificate and assertion hashes; the data hash is not
   * compared, which the report says with a {@code hallmark.dataHash.notChecked} status.
   */
  public static C2paReport validateDetached(byte[] manifestStore, TrustAnchors anchors, Instant at)
      throws C2paException {
    return Validator.validate(manifestStore, null, anchors, at);
  }

  /**
   * {@code asset} with any existing manifest store replaced by a new signed one.
   *
   * @throws C2paException when the asset is neither JPEG nor PNG, or the signer's certificate is no
   *     longer valid (the manifest would be reported {@code signingCredential.expired})
   */
  public static Signed sign(byte[] asset, ManifestSpec spec, C2paSigner signer) throws C2paException {
    MediaFormat f = format(asset);
    // Checked again here, not only when the signer was made: a long-lived signer's certificate expires.
    signer.checkUsable(Instant.now(), "C2PA certificate chain");
    Writer.Signed s = Writer.sign(asset, f, spec, signer);
    return new Signed(s.asset(), s.store(), s.manifestLabel());
  }

  /** {@code asset} with every C2PA manifest store removed. */
  public static byte[] strip(byte[] asset) throws C2paException {
    return Container.strip(asset, format(asset));
  }

  private static MediaFormat format(byte[] asset) throws C2paException {
    MediaFormat f = MediaFormat.sniff(asset);
    if (f == null) {
      throw new C2paException("not a JPEG or PNG file (C2PA is supported for those two formats)");
    }
    return f;
  }
}
