package dev.hallmark.ledger;

import java.time.Duration;

/**
 * Tuning for an open {@link Ledger}. Immutable; build with {@link #builder()}, or use
 * {@link #DEFAULT} (verify producer signatures on append, batches of up to 4096 entries, no
 * periodic checkpoint) or {@link #SERVER} (as DEFAULT with a checkpoint every second).
 */
public final class LedgerOptions {
  public static final LedgerOptions DEFAULT = builder().build();
  public static final LedgerOptions SERVER = builder().autoCheckpoint(Duration.ofSeconds(1)).build();

  private final int maxBatchEntries;
  private final boolean verifySignatures;
  private final Duration autoCheckpoint;
  private final long walRotateBytes;

  private LedgerOptions(Builder b) {
    this.maxBatchEntries = b.maxBatchEntries;
    this.verifySignatures = b.verifySignatures;
    this.autoCheckpoint = b.autoCheckpoint;
    this.walRotateBytes = b.walRotateBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Most entries written with one fsync. */
  public int maxBatchEntries() {
    return maxBatchEntries;
  }

  /** Whether {@link Ledger#append} checks each record's producer signature. */
  public boolean verifySignatures() {
    return verifySignatures;
  }

  /** Interval of background checkpoints; {@link Duration#ZERO} for none. */
  public Duration autoCheckpoint() {
    return autoCheckpoint;
  }

  /** Write-ahead log size above which a checkpoint starts a fresh one. */
  public long walRotateBytes() {
    return walRotateBytes;
  }

  /** Builder; {@link #build()} validates. */
  public static final class Builder {
    private int maxBatchEntries = 4096;
    private boolean verifySignatures = true;
    private Duration autoCheckpoint = Duration.ZERO;
    private long walRotateBytes = 64L << 20;

    public Builder maxBatchEntries(int n) {
      this.maxBatchEntries = n;
      return this;
    }

    public Builder verifySignatures(boolean v) {
      this.verifySignatures = v;
      return this;
    }

    public Builder autoCheckpoint(Duration d) {
      this.autoCheckpoint = d;
      return this;
    }

    public Builder walRotateBytes(long n) {
      this.walRotateBytes = n;
      return this;
    }

    public LedgerOptions build() {
      if (maxBatchEntries < 1 || maxBatchEntries > 1 << 20) {
        throw new IllegalArgumentException("maxBatchEntries must be 1..1048576");
      }
      if (autoCheckpoint == null || autoCheckpoint.isNegative()) {
        throw new IllegalArgumentException("autoCheckpoint must be zero or positive");
      }
      if (walRotateBytes < 1 << 16) {
        throw new IllegalArgumentException("walRotateBytes must be at least 65536");
      }
      return new LedgerOptions(this);
    }
  }
}
