package dev.hallmark.provenance.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallmark.c2pa.C2pa;
import dev.hallmark.c2pa.ManifestSpec;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Hex;
import dev.hallmark.provenance.ProvenanceReference;
import dev.hallmark.provenance.TagRequest;
import dev.hallmark.provenance.TagResult;
import dev.hallmark.provenance.Tagger;
import dev.hallmark.provenance.TaggerSettings;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.ImageWatermarker;
import dev.hallmark.watermark.image.ImageFile;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.WatermarkFacts;
import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import java.awt.image.BufferedImage;
import java.security.SecureRandom;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The tagging pipeline; thread-safe because every part it holds is. */
public final class TaggerImpl implements Tagger {
  /** What the pipeline uses besides where records go. */
  public record Parts(SigningKey signingKey, WatermarkKey watermarkKey, ImageWatermarkParameters imageParameters,
      Clock clock, SecureRandom random) {}

  private final Parts s;
  private final RecordSink sink;
  private final ImageWatermarker watermarker;

  public TaggerImpl(TaggerSettings settings) {
    this(new Parts(settings.signingKey(), settings.watermarkKey(), settings.imageParameters(), settings.clock(),
        settings.random()), new LedgerSink(settings.ledger()));
  }

  public TaggerImpl(Parts parts, RecordSink sink) {
    this.s = parts;
    this.sink = sink;
    this.watermarker = ImageWatermarks.newWatermarker(parts.imageParameters());
  }

  @Override
  public TagResult tagImage(byte[] image, String name, TagRequest request) throws HallmarkException, InterruptedException {
    // As 'image embed' does: read as stored and write back with the ICC profile, EXIF and (PNG) bit
    // depth it came with, so a tagged Adobe RGB or Display P3 photo keeps its colours.
    if (!request.retag()) {
      java.util.Optional<ProvenanceReference> earlier = dev.hallmark.provenance.Provenance.readReference(image);
      if (earlier.isPresent()) {
        // A second mark over the first makes both payloads unreadable (the two spread-spectrum
        // patterns share the key's sync chips): the output would trace back to neither record.
        throw new HallmarkException(name + ": already tagged (its metadata references " + earlier.get().encode()
            + "); tag the original, or allow a re-tag (tag --force), which makes the earlier payload unreadable");
      }
    }
    ImageFile source = Images.readFile(image, name);
    BufferedImage in = source.image();
    String inFormat = Metadata.sniff(image);
    String format = request.format() != null ? request.format() : "jpeg".equals(inFormat) ? "jpeg" : "png";
    byte[] payload = new byte[ImageWatermarker.PAYLOAD_BYTES];
    s.random().nextBytes(payload);
    BufferedImage marked = watermarker.embed(in, s.watermarkKey(), payload);
    byte[] encoded = Images.encode(source.withImage(marked), format.equals("jpeg") ? Images.Format.JPEG : Images.Format.PNG,
        request.jpegQuality());
    ProvenanceReference ref = new ProvenanceReference(sink.origin(), s.watermarkKey().keyId(), Hex.encode(payload));
    byte[] out;
    try {
      out = Metadata.embed(encoded, ref);
    } catch (IllegalArgumentException e) {
      throw new HallmarkException(name + ": " + e.getMessage() + "; tag a copy with less XMP metadata");
    }
    C2pa.Signed manifest = null;
    if (request.c2paSigner() != null) {
      // Last, so the manifest's data hash covers the final pixels and the Hallmark metadata reference.
      ManifestSpec spec = ManifestSpec.builder()
          .title(titleOf(name, format))
          .softwareAgent(request.model(), null)
          .softBinding(ManifestSpec.HALLMARK_SOFT_BINDING_ALG, softBindingValue(payload))
          .build();
      manifest = C2pa.sign(out, spec, request.c2paSigner());
      out = manifest.asset();
    }
    // The fingerprint is of the written file as a viewer (and 'hallmark verify') shows it: decoded,
    // its EXIF orientation applied.
    dev.hallmark.watermark.image.ImageFile writtenFile = Images.readFile(out, name);
    BufferedImage written = writtenFile.image();
    ImageFingerprint fp = ImageFingerprint.of(writtenFile);

    ObjectNode wm = JsonNodeFactory.instance.objectNode();
    wm.put("type", "image");
    wm.put("scheme", "image-tss");
    wm.put("keyId", s.watermarkKey().keyId());
    wm.put("payload", Hex.encode(payload));
    wm.put("targetPsnrDb", s.imageParameters().targetPsnrDb());
    ObjectNode attrs = JsonNodeFactory.instance.objectNode();
    attrs.put("format", format);
    attrs.put("width", written.getWidth());
    attrs.put("height", written.getHeight());
    attrs.put("imageHashQuality", fp.quality());
    if (manifest != null) {
      ObjectNode c = attrs.putObject("c2pa");
      c.put("manifestLabel", manifest.manifestLabel());
      c.put("manifestStore", java.util.Base64.getEncoder().encodeToString(manifest.manifestStore()));
    }
    // The mark as it reads back from the bytes written (after JPEG quantisation and clipping), before
    // the record is registered: a mark too weak to find is reported to the caller, not discovered later.
    dev.hallmark.watermark.image.ImageDetection d = watermarker.checkEmbedded(written, s.watermarkKey(), 1e-6);
    TagResult.MarkCheck check = new TagResult.MarkCheck(d.detected(), d.pValue(),
        d.detected() && d.payloadValid() && java.util.Arrays.equals(d.payload(), payload));
    Record.Builder b = Record.builder().kind("image").content(out).imageHash(fp.hex()).watermark(wm).attributes(attrs);
    TagResult r = append(b, request, out, format, ref, manifest);
    // From the image decoded above, so that the caller need not decode the input again to warn.
    boolean transparencyLost = format.equals("jpeg") && Images.hasTransparency(in);
    return new TagResult(r.output(), r.format(), r.record(), r.index(), r.reference(), check, transparencyLost);
  }

  @Override
  public TagResult tagText(String text, TagRequest request) throws HallmarkException, InterruptedException {
    requireContent(text);
    ProvenanceReference ref = null;
    String out = text;
    Record.Builder b = Record.builder().kind("text").textMinHash(TextFingerprint.minHash(text));
    if (request.unicodeTag()) {
      byte[] id = new byte[8];
      s.random().nextBytes(id);
      ref = new ProvenanceReference(sink.origin(), s.watermarkKey().keyId(), Hex.encode(id));
      out = Metadata.appendUnicodeTag(text, ref);
      ObjectNode wm = JsonNodeFactory.instance.objectNode();
      wm.put("type", "text");
      wm.put("scheme", "unicode-tag");
      wm.put("keyId", s.watermarkKey().keyId());
      wm.put("payload", ref.id());
      b.watermark(wm);
    }
    byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
    return append(b.content(bytes), request, bytes, "text", ref);
  }

  @Override
  public TagResult tagGeneratedText(String text, WatermarkFacts facts, TextGenerator.Generation generation, TagRequest request)
      throws HallmarkException, InterruptedException {
    requireContent(text);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ObjectNode wm = JsonNodeFactory.instance.objectNode();
    wm.put("type", "text");
    for (Map.Entry<String, Object> e : facts.toMap().entrySet()) {
      wm.set(e.getKey(), JsonNodeFactory.instance.pojoNode(e.getValue()));
    }
    ObjectNode normalized = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(wm);
    Record.Builder b = Record.builder().kind("text").content(bytes).textMinHash(TextFingerprint.minHash(text))
        .watermark(normalized);
    if (generation != null) {
      ObjectNode g = JsonNodeFactory.instance.objectNode();
      g.put("generatedTokens", generation.tokens().length);
      g.put("promptTokens", generation.promptTokens());
      g.put("meanEntropyBits", Math.round(generation.meanEntropyBits() * 1000) / 1000.0);
      ObjectNode attrs = JsonNodeFactory.instance.objectNode();
      attrs.set("generation", g);
      b.attributes(attrs);
    }
    return append(b, request, bytes, "text", null);
  }

  /** A record of empty or blank text would match every empty file anyone verifies. */
  private static void requireContent(String text) throws HallmarkException {
    if (text.isBlank()) {
      throw new HallmarkException("the text is " + (text.isEmpty() ? "empty" : "blank (only white space)") + "; nothing to tag");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        // UTF-8 would encode it as '?': the record would be of another text.
        throw new HallmarkException("the text has an unpaired surrogate at char " + i + "; it is not valid Unicode, nothing to tag");
      }
    }
  }

  private TagResult append(Record.Builder b, TagRequest request, byte[] out, String format, ProvenanceReference ref)
      throws HallmarkException, InterruptedException {
    return append(b, request, out, format, ref, null);
  }

  /** @param manifest the C2PA manifest the record stores, or null */
  private TagResult append(Record.Builder b, TagRequest request, byte[] out, String format, ProvenanceReference ref,
      C2pa.Signed manifest) throws HallmarkException, InterruptedException {
    Record record;
    try {
      record = b.model(request.model()).timestamp(s.clock().instant().truncatedTo(ChronoUnit.MILLIS)).build().sign(s.signingKey());
    } catch (IllegalArgumentException e) {
      throw new HallmarkException("cannot build the ledger record: " + e.getMessage());
    }
    if (manifest != null) {
      int entry = record.toString().getBytes(StandardCharsets.UTF_8).length;
      if (entry > Record.MAX_ENTRY_BYTES) {
        // The manifest is all that can make an image record this large: say so, not "attributes/watermark".
        throw new HallmarkException("the C2PA manifest (" + manifest.manifestStore().length + " bytes, stored in the"
            + " ledger record as base64) makes the record too large: " + entry + " bytes, and a ledger record is at most "
            + Record.MAX_ENTRY_BYTES + "; sign with a shorter certificate chain (the signing certificate and its"
            + " intermediates, without the root) or tag without --c2pa-cert; the image was not tagged");
      }
    }
    long index = sink.append(record);
    return new TagResult(out, format, record, index, ref);
  }

  /** The soft-binding value of a watermark payload: its bytes in standard base64. */
  public static String softBindingValue(byte[] payload) {
    return java.util.Base64.getEncoder().encodeToString(payload);
  }

  private static String titleOf(String name, String format) {
    String n = name == null ? "" : name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    return n.isBlank() ? "image." + (format.equals("jpeg") ? "jpg" : "png") : n;
  }

  @Override
  public Receipt receipt(long index) throws HallmarkException {
    return sink.receipt(index);
  }
}
