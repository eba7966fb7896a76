package dev.hallmark.ledger;

import java.util.ArrayList;
import java.util.List;

/** An RFC 6962 inclusion proof: entry {@code index} is in the tree of {@code treeSize} leaves. Immutable. */
public final class InclusionProof {
  private final long index;
  private final long treeSize;
  private final List<byte[]> hashes;

  public InclusionProof(long index, long treeSize, List<byte[]> hashes) {
    this.index = index;
    this.treeSize = treeSize;
    List<byte[]> c = new ArrayList<>();
    hashes.forEach(h -> c.add(h.clone()));
    this.hashes = List.copyOf(c);
  }

  public long index() {
    return index;
  }

  public long treeSize() {
    return treeSize;
  }

  /** The proof hashes, leaf sibling first (copies). */
  public List<byte[]> hashes() {
    List<byte[]> c = new ArrayList<>();
    hashes.forEach(h -> c.add(h.clone()));
    return c;
  }

  /** @throws VerificationException unless {@code leafHash} at {@link #index()} hashes up to {@code root} */
  public void verify(byte[] leafHash, byte[] root) throws VerificationException {
    Merkle.verifyInclusion(index, treeSize, leafHash, hashes, root);
  }
}
