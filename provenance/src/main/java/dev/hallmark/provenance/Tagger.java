package dev.hallmark.provenance;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.WatermarkFacts;

/**
 * Tags outputs in one call each: watermark (images), signed ledger record, metadata reference.
 * Thread-safe: generation services call it from many threads; the ledger group-commits their appends
 * in batches. A call returns once its record is durable. Obtain one from {@link Provenance#tagger}.
 */
public interface Tagger {
  /**
   * Embeds the image watermark with a fresh 64-bit payload, encodes the output ({@link TagRequest#format()}),
   * adds the provenance reference to its metadata, and appends a signed record of the final bytes
   * (content hash, perceptual hash, watermark facts with the payload).
   *
   * @throws HallmarkException if the image cannot be read or is too small, or the ledger refuses the record
   */
  TagResult tagImage(byte[] image, String name, TagRequest request) throws HallmarkException, InterruptedException;

  /**
   * Registers a text that was not generated through Hallmark's sampler: content hash and MinHash
   * fingerprint. The text is returned unchanged unless {@link TagRequest#unicodeTag()}: then the
   * provenance reference, with a fresh 64-bit id, is appended in invisible Unicode tag characters and
   * the record of the returned text carries {@code watermark {"scheme":"unicode-tag","keyId","payload"}}.
   * Such a tag is trivially removed; it helps honest pipelines, the fingerprint does the rest.
   *
   * @throws HallmarkException if the text is empty or blank (its record would match every empty
   *     file), or the ledger refuses the record
   */
  TagResult tagText(String text, TagRequest request) throws HallmarkException, InterruptedException;

  /**
   * Registers a text generated through Hallmark's sampler, recording its watermark facts (scheme,
   * parameters, tokenizer, key id) and generation facts (token counts, mean entropy) besides hash and
   * fingerprint.
   */
  TagResult tagGeneratedText(String text, WatermarkFacts facts, TextGenerator.Generation generation, TagRequest request)
      throws HallmarkException, InterruptedException;

  /**
   * The offline receipt of entry {@code index}, signing a new checkpoint first if the entry is not
   * in the latest one yet.
   */
  Receipt receipt(long index) throws HallmarkException;
}
