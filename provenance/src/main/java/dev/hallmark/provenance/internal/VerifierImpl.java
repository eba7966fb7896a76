package dev.hallmark.provenance.internal;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Hex;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.provenance.C2paSignal;
import dev.hallmark.provenance.LedgerHit;
import dev.hallmark.provenance.LedgerSource;
import dev.hallmark.provenance.ProvenanceReference;
import dev.hallmark.provenance.Verdict;
import dev.hallmark.provenance.Verdict.Check;
import dev.hallmark.provenance.Verdict.HashRelation;
import dev.hallmark.provenance.Verdict.RecordSignal;
import dev.hallmark.provenance.Verdict.Status;
import dev.hallmark.provenance.Verdict.WatermarkSignal;
import dev.hallmark.provenance.Verifier;
import dev.hallmark.provenance.VerifierSettings;
import dev.hallmark.ledger.Checkpoint;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Merkle;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.ledger.SignedNote;
import dev.hallmark.ledger.VerificationException;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageDetector;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.MultiKeyTextDetector;
import dev.hallmark.watermark.text.MultiKeyTextResult;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The verification pipeline; see {@link Verdict} for the rule that establishes origin. */
public final class VerifierImpl implements Verifier {
  private final VerifierSettings settings;
  /** Built once per verifier (per-key templates and PRF keys); null without watermark keys. */
  private final ImageDetector imageDetector;
  private final MultiKeyTextDetector textDetector;

  public VerifierImpl(VerifierSettings settings) {
    this.settings = settings;
    boolean keyed = !settings.keys().isEmpty();
    this.imageDetector = keyed ? ImageWatermarks.newWatermarker(settings.imageParameters()).detector(settings.keys()) : null;
    this.textDetector = keyed ? Watermarks.multiKeyTextDetector(settings.textSettings(), settings.keys()) : null;
  }

  private record Candidate(LedgerHit hit, String via, LedgerSource source) {}

  @Override
  public Verdict verify(byte[] content, String name) throws InterruptedException {
    List<String> notes = new ArrayList<>();
    String sha = sha256(content);
    ProvenanceReference ref = Metadata.read(content).orElse(null);
    String kind = "other";
    BufferedImage image = null;
    String text = null;
    if (Metadata.sniff(content) != null || looksLikeImage(content)) {
      try {
        image = Images.read(content, name);
        kind = "image";
      } catch (HallmarkException e) {
        notes.add("could not decode the image: " + e.getMessage());
      }
    }
    if (image == null) {
      text = utf8(content);
      if (text != null) {
        kind = "text";
      }
    }

    WatermarkSignal wm;
    ImageFingerprint fp = null;
    int[] minHash = null;
    if (image != null) {
      fp = ImageFingerprint.of(image);
      wm = detectImage(image, notes);
    } else if (text != null) {
      minHash = TextFingerprint.minHash(text);
      wm = detectText(text);
    } else {
      wm = WatermarkSignal.notChecked("not an image or a UTF-8 text");
    }

    List<Candidate> candidates = new ArrayList<>();
    for (LedgerSource s : settings.sources()) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      try {
        for (LedgerHit h : s.bySha256(sha)) {
          candidates.add(new Candidate(h, "exact-hash", s));
        }
        // A perceptual-hash hit whose payload is the one read from the pixels (or named by the
        // metadata) makes the separate lookup by payload unnecessary.
        List<LedgerHit> similar = fp != null && fp.quality() >= ImageFingerprint.MIN_USEFUL_QUALITY
            ? s.byImageHash(fp.hex(), settings.maxImageDistance()) : List.of();
        boolean payloadSeen = false;
        boolean refSeen = false;
        for (LedgerHit h : similar) {
          String p = SnapshotSource.payloadOf(h.record()).orElse(null);
          String k = h.record().watermarkKeyId().orElse(null);
          if (wm.detected() && wm.payload() != null && wm.payload().equals(p) && wm.keyId().equals(k)) {
            candidates.add(new Candidate(h, "watermark-payload", s));
            payloadSeen = true;
          } else if (ref != null && ref.id().equals(p) && ref.watermarkKeyId().equals(k)) {
            candidates.add(new Candidate(h, "metadata-reference", s));
            refSeen = true;
          }
        }
        if (wm.detected() && wm.payload() != null && !payloadSeen) {
          for (LedgerHit h : s.byWatermark(wm.keyId(), wm.payload(), 5)) {
            candidates.add(new Candidate(h, "watermark-payload", s));
          }
        }
        if (ref != null && !refSeen) {
          for (LedgerHit h : s.byWatermark(ref.watermarkKeyId(), ref.id(), 5)) {
            candidates.add(new Candidate(h, "metadata-reference", s));
          }
        }
        for (LedgerHit h : similar) {
          candidates.add(new Candidate(h, "image-fingerprint", s));
        }
        if (minHash != null) {
          for (LedgerHit h : s.byMinHash(minHash, settings.minTextSimilarity())) {
            candidates.add(new Candidate(h, "text-fingerprint", s));
          }
          if (wm.detected()) {
            for (LedgerHit h : s.byWatermarkAndText(wm.keyId(), minHash, settings.minKeyedTextSimilarity(), 1)) {
              candidates.add(new Candidate(h, "watermark-key+text-fingerprint", s));
            }
          }
        }
      } catch (LedgerException e) {
        notes.add("ledger " + s.describe() + ": " + e.getMessage());
      }
    }

    List<NoteVerifierKey> trusted = new ArrayList<>(settings.trustedLogKeys());
    settings.sources().forEach(s -> trusted.addAll(s.localLogKeys()));

    Candidate chosen = null;
    Check sig = new Check(Status.NOT_CHECKED, "no ledger record to check");
    Check incl = new Check(Status.NOT_CHECKED, "no ledger record to check");
    Record record = null;
    String log = null;
    for (Candidate c : candidates) {
      Record r;
      try {
        byte[] entry = c.hit().receipt().entry();
        r = entry == null ? c.hit().record() : Record.parse(entry);
      } catch (LedgerException e) {
        notes.add("ledger " + c.source().describe() + " returned an unreadable record: " + e.getMessage());
        continue;
      }
      Check s = checkSignature(r);
      String[] origin = new String[1];
      Check i = checkInclusion(c.hit().receipt(), r, trusted, origin);
      if (chosen == null || (s.valid() && i.valid() && !(sig.valid() && incl.valid()))) {
        chosen = c;
        sig = s;
        incl = i;
        record = r;
        log = origin[0];
      }
      if (s.valid() && i.valid()) {
        break;
      }
    }

    RecordSignal rs = RecordSignal.notFound();
    HashRelation rel = HashRelation.UNKNOWN;
    if (chosen != null) {
      double similarity = chosen.hit().similarity();
      int distance = chosen.hit().distance();
      if (fp != null && record.imageHash().isPresent()) {
        distance = ReceiptSource.hamming(record.imageHash().get(), fp.hex());
        similarity = 1 - distance / 256.0;
      } else if (minHash != null && record.textMinHash().isPresent()) {
        similarity = TextFingerprint.jaccardEstimate(minHash, record.textMinHash().get());
      }
      if (record.contentSha256().equals(sha)) {
        rel = HashRelation.EQUAL;
        similarity = 1.0;
      } else if (boundBy(chosen.via(), wm, ref, record) || (distance >= 0 && distance <= settings.maxImageDistance())
          || (minHash != null && similarity >= settings.minKeyedTextSimilarity())) {
        rel = HashRelation.SIMILAR;
      } else {
        rel = HashRelation.DIFFERENT;
      }
      Map<String, Object> recordMap = plain(record);
      rs = new RecordSignal(true, chosen.via(), chosen.source().describe(), chosen.hit().index(), log,
          record.model().orElse(null), record.timestamp().map(Object::toString).orElse(null),
          record.producer().orElse(null), record.contentSha256(), similarity, distance, recordMap);
      String recordKeyId = record.watermarkKeyId().orElse(null);
      if (rel == HashRelation.SIMILAR && wm.checked() && !wm.detected() && record.watermarkKeyId().isPresent()
          && settings.keys().stream().anyMatch(k -> k.keyId().equals(recordKeyId))) {
        notes.add("the record's watermark key was tested and its watermark not found: this file may be the untagged"
            + " original of the registered output, or a copy processed beyond what the watermark survives");
      }
      if (ref != null && !ref.id().equals(SnapshotSource.payloadOf(record).orElse(ref.id()))) {
        notes.add("the metadata reference names id " + ref.id() + ", which is not the record's payload");
      }
    }
    boolean established = rs.found() && sig.valid() && incl.valid()
        && (rel == HashRelation.EQUAL || rel == HashRelation.SIMILAR);
    String summary = summary(kind, ref, wm, rs, sig, incl, rel, established);
    C2paSignal c2pa = C2paCheck.check(content, record, rs.found() && sig.valid() && incl.valid(), rs.via(),
        settings.c2paTrust(), notes);
    if (c2pa.present()) {
      summary = summary + " " + c2pa.detail();
    }
    return new Verdict(name, kind, sha, ref, wm, rs, sig, incl, rel, established, summary, notes, c2pa);
  }

  private static boolean boundBy(String via, WatermarkSignal wm, ProvenanceReference ref, Record r) {
    String payload = SnapshotSource.payloadOf(r).orElse(null);
    if (payload == null) {
      return false;
    }
    return wm.detected() && payload.equals(wm.payload()) && wm.keyId().equals(r.watermarkKeyId().orElse(null));
  }

  private WatermarkSignal detectImage(BufferedImage image, List<String> notes) {
    if (settings.keys().isEmpty()) {
      return WatermarkSignal.notChecked("no watermark key available (the watermark is secret-keyed)");
    }
    try {
      ImageDetection d = imageDetector.detect(image, settings.alpha());
      String payload = d.payload() == null ? null : Hex.encode(d.payload());
      String detail = d.detected()
          ? String.format(Locale.ROOT, "detected under key %s (p = %.3g, scale %.2f)", d.keyId(), d.pValue(), d.scale())
          : String.format(Locale.ROOT, "not detected under %d key(s) (p = %.3g)", d.keysTried(), d.pValue());
      return new WatermarkSignal(true, d.detected(), d.detected() ? d.keyId() : null, d.pValue(), d.alpha(),
          d.keysTried(), "image-tss", payload, d.payloadValid(), detail);
    } catch (HallmarkException e) {
      notes.add("watermark not tested: " + e.getMessage());
      return WatermarkSignal.notChecked(e.getMessage());
    }
  }

  private WatermarkSignal detectText(String text) {
    if (settings.keys().isEmpty()) {
      return WatermarkSignal.notChecked("no watermark key available (the watermark is secret-keyed)");
    }
    MultiKeyTextResult r = textDetector.detect(text);
    String scheme = r.best() == null ? null : r.best().scheme();
    String detail = r.detected()
        ? String.format(Locale.ROOT, "%s watermark detected under key %s (p = %.3g, %d tokens scored)", scheme,
            r.best().keyId(), r.familyWisePValue(), r.best().tokensScored())
        : String.format(Locale.ROOT, "not detected (%d key/scheme tests, p = %.3g)", r.tests(), r.familyWisePValue());
    return new WatermarkSignal(true, r.detected(), r.detected() ? r.best().keyId() : null, r.familyWisePValue(),
        r.familyWiseAlpha(), settings.keys().size(), scheme, null, false, detail);
  }

  private static Check checkSignature(Record r) {
    try {
      r.verifySignature();
      return new Check(Status.VALID, "signed by " + shortKey(r.producer().orElse("?")));
    } catch (VerificationException e) {
      return new Check(Status.INVALID, e.getMessage());
    } catch (IllegalArgumentException e) {
      return new Check(Status.INVALID, "producer key is malformed: " + e.getMessage());
    }
  }

  private static Check checkInclusion(Receipt receipt, Record r, List<NoteVerifierKey> trusted, String[] originOut) {
    String origin;
    try {
      origin = Checkpoint.parse(SignedNote.parse(receipt.checkpointNote()).text()).origin();
    } catch (IllegalArgumentException e) {
      return new Check(Status.INVALID, "malformed checkpoint: " + e.getMessage());
    }
    originOut[0] = origin;
    NoteVerifierKey key = null;
    for (NoteVerifierKey k : trusted) {
      if (k.name().equals(origin)) {
        key = k;
        break;
      }
    }
    if (key == null) {
      return new Check(Status.NOT_CHECKED, "the checkpoint is for log '" + origin
          + "', whose key you have not trusted: pass its verifier key (--log-key) or its ledger folder");
    }
    try {
      SignedCheckpoint cp = SignedCheckpoint.verify(receipt.checkpointNote(), key);
      byte[] entry = r.entryBytes();
      Merkle.verifyInclusion(receipt.index(), cp.size(), Merkle.leafHash(entry), proofHashes(receipt), cp.rootHash());
      return new Check(Status.VALID, "entry " + Long.toUnsignedString(receipt.index()) + " is in the tree of "
          + Long.toUnsignedString(cp.size()) + " entries signed by " + key.name() + "+" + key.keyIdHex());
    } catch (VerificationException | LedgerException e) {
      return new Check(Status.INVALID, e.getMessage());
    }
  }

  /** The inclusion proof hashes of a tlog-proof (the lines between {@code index} and the blank line). */
  static List<byte[]> proofHashes(Receipt r) {
    String t = r.encode();
    String head = t.substring(0, t.indexOf("\n\n"));
    List<byte[]> out = new ArrayList<>();
    boolean after = false;
    for (String line : head.split("\n")) {
      if (after) {
        out.add(Base64.getDecoder().decode(line));
      } else if (line.startsWith("index ")) {
        after = true;
      }
    }
    return out;
  }

  private static String summary(String kind, ProvenanceReference ref, WatermarkSignal wm, RecordSignal rs, Check sig,
      Check incl, HashRelation rel, boolean established) {
    String what = kind.equals("image") ? "image" : kind.equals("text") ? "text" : "file";
    if (established) {
      StringBuilder b = new StringBuilder();
      b.append("Generated by ").append(rs.model() == null ? "an unnamed model" : "model " + rs.model());
      if (rs.timestamp() != null) {
        b.append(", tagged at ").append(rs.timestamp());
      }
      b.append(", registered in log ").append(rs.log()).append(" at index ").append(rs.index());
      if (rel == HashRelation.EQUAL) {
        b.append("; the ").append(what).append(" is byte-identical to the registered one.");
      } else {
        b.append("; the ").append(what).append(kind.equals("text") ? " was edited since" : " was re-encoded or edited since");
        if (rs.distance() >= 0) {
          b.append(" (perceptual hash ").append(rs.distance()).append("/256 bits apart");
        } else {
          b.append(String.format(Locale.ROOT, " (fingerprint similarity %.2f", rs.similarity()));
        }
        b.append(wm.detected() ? ", watermark still present)." : wm.checked() ? ", watermark not found)." : ").");
      }
      return b.toString();
    }
    if (rs.found()) {
      if (sig.status() == Status.INVALID) {
        return "A ledger record matches (index " + rs.index() + "), but its producer signature does not verify: do not trust it.";
      }
      if (incl.status() == Status.INVALID) {
        return "A ledger record matches (index " + rs.index() + "), but its inclusion proof fails: the log does not vouch for it.";
      }
      if (incl.status() == Status.NOT_CHECKED) {
        return "A signed ledger record matches (index " + rs.index() + " of log " + rs.log()
            + "), but the log's key is not trusted here, so its registration is not proven.";
      }
      return "A ledger record was found, but this " + what + " is neither identical nor similar to it: origin not established.";
    }
    if (wm.detected()) {
      return "A Hallmark watermark was found (key " + wm.keyId() + String.format(Locale.ROOT, ", p = %.2g", wm.pValue())
          + "), but no ledger record could be checked: origin not established (give the ledger or the receipt).";
    }
    if (ref != null) {
      return "The metadata names Hallmark record " + ref.id() + " in log " + ref.log()
          + ", but no such record could be checked: origin not established.";
    }
    return "No Hallmark provenance found: no metadata reference, no watermark"
        + (wm.checked() ? "" : " test (no key)") + ", no matching ledger record.";
  }

  private static String shortKey(String vkey) {
    int plus = vkey.indexOf('+');
    int second = plus < 0 ? -1 : vkey.indexOf('+', plus + 1);
    return second < 0 ? vkey : vkey.substring(0, second);
  }

  private static Map<String, Object> plain(Record r) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(r.toJson(true), LinkedHashMap.class);
      return m;
    } catch (IllegalArgumentException e) {
      return Map.of();
    }
  }

  private static boolean looksLikeImage(byte[] b) {
    if (b.length < 4) {
      return false;
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    return (b0 == 'G' && b1 == 'I') || (b0 == 'B' && b1 == 'M') || (b0 == 'R' && b1 == 'I')
        || (b0 == 'I' && b1 == 'I') || (b0 == 'M' && b1 == 'M');
  }

  private static String utf8(byte[] b) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
      return s.indexOf('\0') >= 0 ? null : s;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  static String sha256(byte[] b) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
