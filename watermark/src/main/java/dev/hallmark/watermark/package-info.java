/** Keyed text and image watermarks and the perceptual fingerprints used for ledger lookups. */
package dev.hallmark.watermark;
