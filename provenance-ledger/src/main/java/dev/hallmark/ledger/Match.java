package dev.hallmark.ledger;

/**
 * A lookup result: a record read from the log (never from the index) with its similarity to the
 * query: 1.0 for exact hash matches, estimated Jaccard similarity for text MinHash matches, and
 * {@code 1 - distance/256} for image hash matches, whose Hamming {@code distance} is also given
 * ({@code -1} when not an image match).
 */
public record Match(long index, Record record, double similarity, int distance) {}
