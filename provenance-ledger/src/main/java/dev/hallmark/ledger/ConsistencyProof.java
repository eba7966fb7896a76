package dev.hallmark.ledger;

import java.util.ArrayList;
import java.util.List;

/** An RFC 6962 consistency proof between tree sizes {@code size1 <= size2}. Immutable. */
public final class ConsistencyProof {
  private final long size1;
  private final long size2;
  private final List<byte[]> hashes;

  public ConsistencyProof(long size1, long size2, List<byte[]> hashes) {
    this.size1 = size1;
    this.size2 = size2;
    List<byte[]> c = new ArrayList<>();
    hashes.forEach(h -> c.add(h.clone()));
    this.hashes = List.copyOf(c);
  }

  public long size1() {
    return size1;
  }

  public long size2() {
    return size2;
  }

  public List<byte[]> hashes() {
    List<byte[]> c = new ArrayList<>();
    hashes.forEach(h -> c.add(h.clone()));
    return c;
  }

  /** @throws VerificationException unless the tree with {@code root2} extends the one with {@code root1} */
  public void verify(byte[] root1, byte[] root2) throws VerificationException {
    Merkle.verifyConsistency(size1, size2, root1, root2, hashes);
  }
}
