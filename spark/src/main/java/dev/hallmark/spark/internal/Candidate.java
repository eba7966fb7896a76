package dev.hallmark.spark.internal;

import java.io.Serializable;

/**
 * A registered record as the registry export holds it: index, content hash and fingerprints (no
 * content, no signature). {@code minHash} and {@code imageHash} may be null.
 */
public record Candidate(long index, String sha256, int[] minHash, String imageHash) implements Serializable {}
