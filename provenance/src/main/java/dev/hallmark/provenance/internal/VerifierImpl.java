package dev.hallmark.provenance.internal;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Hex;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.detector.ContentSniffer;
import dev.hallmark.detector.EvidenceCollector;
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
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.MultiKeyTextResult;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The verification pipeline; see {@link Verdict} for the rule that establishes origin. */
public final class VerifierImpl implements Verifier {
  private final VerifierSettings settings;
  /**
   * Hashes, fingerprints and watermark tests, computed exactly as {@code clean} computes them; built
   * once per verifier (per-key templates and PRF keys).
   */
  private final EvidenceCollector evidence;

  public VerifierImpl(VerifierSettings settings) {
    this.settings = settings;
    this.evidence = EvidenceCollector.create(settings.keys(), settings.textSettings(), settings.imageParameters());
  }

  private record Candidate(LedgerHit hit, String via, LedgerSource source) {}

  @Override
  public Verdict verify(byte[] content, String name) throws InterruptedException {
    List<String> notes = new ArrayList<>();
    String sha = EvidenceCollector.sha256(content);
    ProvenanceReference ref = Metadata.read(content).orElse(null);
    String kind = "other";
    BufferedImage image = null;
    dev.hallmark.watermark.image.ImageFile imageFile = null;
    String text = null;
    String undecodable = null;
    if (ContentSniffer.isImage(content)) {
      try {
        imageFile = Images.readFile(content, name);
        image = imageFile.image();
        kind = "image";
      } catch (HallmarkException e) {
        undecodable = e.getMessage();
      }
    }
    if (image == null) {
      text = ContentSniffer.text(content).orElse(null);
      if (text != null) {
        kind = "text";
      } else if (undecodable != null) {
        // Image magic bytes, not decodable, and not a text: a corrupt or truncated image is bad
        // input, not a file without provenance.
        String why = undecodable.startsWith(name + ": ") ? undecodable.substring(name.length() + 2) : undecodable;
        throw new IllegalArgumentException(name + ": looks like an image but cannot be decoded (" + why
            + "); give an intact copy");
      }
    }

    WatermarkSignal wm;
    ImageFingerprint fp = null;
    int[] minHash = null;
    if (image != null) {
      EvidenceCollector.ImageEvidence ie = null;
      try {
        ie = evidence.image(imageFile, settings.alpha(), true);
      } catch (HallmarkException e) {
        notes.add("watermark not tested: " + e.getMessage());
      }
      fp = ie != null ? ie.fingerprint() : ImageFingerprint.of(imageFile);
      wm = ie == null ? WatermarkSignal.notChecked("the image could not be examined") : imageSignal(ie.watermark());
    } else if (text != null) {
      EvidenceCollector.TextEvidence te = evidence.text(text, true);
      minHash = te.minHash();
      wm = textSignal(te.watermark());
      if (te.watermark() != null && te.watermark().best() != null && te.watermark().best().truncated()) {
        // As text detect says it: a "no watermark" answer covers the part that was tested.
        notes.add("the text is longer than the watermark test's " + te.watermark().best().tokensTotal()
            + " tokens: only its beginning was tested for the watermark, so 'not detected' holds for that part only");
      }
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
        notes.add(s.describe() + ": " + e.getMessage());
      }
    }

    noteReceiptsOfOtherRecords(candidates, notes);

    List<NoteVerifierKey> trusted = new ArrayList<>(settings.trustedLogKeys());
    settings.sources().forEach(s -> trusted.addAll(s.localLogKeys()));

    Selection sel = select(candidates, trusted, sha, fp, minHash, wm, ref, notes);
    Candidate chosen = sel.chosen == null ? null : sel.chosen.candidate();
    Check sig = sel.chosen == null ? new Check(Status.NOT_CHECKED, "no ledger record to check") : sel.chosen.sig();
    Check incl = sel.chosen == null ? new Check(Status.NOT_CHECKED, "no ledger record to check") : sel.chosen.incl();
    Record record = sel.chosen == null ? null : sel.chosen.record();
    String log = sel.chosen == null ? null : sel.chosen.log();

    RecordSignal rs = settings.sources().isEmpty() ? RecordSignal.notSearched() : RecordSignal.notFound();
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
    boolean established = !sel.ambiguous && rs.found() && sig.valid() && incl.valid()
        && (rel == HashRelation.EQUAL || rel == HashRelation.SIMILAR);
    List<RecordSignal> others = new ArrayList<>();
    for (Scored o : sel.others) {
      others.add(new RecordSignal(true, o.candidate().via(), o.candidate().source().describe(), o.candidate().hit().index(),
          o.log(), o.record().model().orElse(null), o.record().timestamp().map(Object::toString).orElse(null),
          o.record().producer().orElse(null), o.record().contentSha256(), o.similarity(), o.distance(), null));
    }
    String summary = sel.ambiguous ? ambiguousSummary(kind, rs, others, wm)
        : summary(kind, ref, wm, rs, sig, incl, rel, established, !settings.sources().isEmpty());
    C2paSignal c2pa = C2paCheck.check(content, record, rs.found() && sig.valid() && incl.valid() && !sel.ambiguous,
        rs.via(), settings.c2paTrust(), notes);
    if (c2pa.present()) {
      summary = summary + " " + c2pa.detail();
    }
    return new Verdict(name, kind, sha, ref, wm, rs, sig, incl, rel, established, summary, notes, others, sel.choice,
        sel.ambiguous, c2pa);
  }

  /**
   * Names every receipt given whose record no lookup for this file returned: a receipt of another
   * record (another file's proof, or one beside a file replaced since) was otherwise passed over in
   * silence. It changes nothing else in the verdict, as a receipt that fails its checks changes the
   * verdict only through the record it is for.
   */
  private void noteReceiptsOfOtherRecords(List<Candidate> candidates, List<String> notes) {
    java.util.Set<Receipt> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Candidate c : candidates) {
      used.add(c.hit().receipt());
    }
    for (LedgerSource s : settings.sources()) {
      if (!(s instanceof ReceiptSource held)) {
        continue;
      }
      List<LedgerHit> all = held.all();
      for (LedgerHit h : all) {
        if (used.contains(h.receipt())) {
          continue;
        }
        String which = "index " + Long.toUnsignedString(h.receipt().index()) + logOf(h.receipt());
        notes.add(all.size() == 1
            ? s.describe() + " is for another record (" + which + "): it does not match this file, so it was not used"
            : s.describe() + ": the receipt of " + which + " is for another record: it does not match this file, so it was"
                + " not used");
      }
    }
  }

  /** " in log ORIGIN" for the receipt's checkpoint, or "" when its note does not parse. */
  private static String logOf(Receipt r) {
    try {
      return " in log " + r.origin();
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** A candidate record, checked: signature, inclusion, and how close it is to the file. */
  private record Scored(Candidate candidate, Record record, Check sig, Check incl, String log, boolean payloadBound,
      boolean exact, int distance, double similarity, boolean matches) {
    boolean valid() {
      return sig.valid() && incl.valid();
    }

    java.time.Instant time() {
      return record.timestamp().orElse(java.time.Instant.MAX);
    }
  }

  /** The chosen record, the other matching records (best first), and whether the rule separated them. */
  private record Selection(Scored chosen, List<Scored> others, String choice, boolean ambiguous) {}

  /**
   * Checks every distinct candidate record and chooses one by {@link Verdict#SELECTION_RULE} among
   * those that match the file and whose signature and inclusion proof hold; without such a record,
   * the first candidate whose checks hold, else the first candidate (so the verdict can say what
   * failed).
   */
  private Selection select(List<Candidate> candidates, List<NoteVerifierKey> trusted, String sha, ImageFingerprint fp,
      int[] minHash, WatermarkSignal wm, ProvenanceReference ref, List<String> notes) {
    List<Scored> scored = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Candidate c : candidates) {
      Record r;
      String entryKey;
      try {
        byte[] entry = c.hit().receipt().entry();
        r = entry == null ? c.hit().record() : Record.parse(entry);
        entryKey = EvidenceCollector.sha256(r.entryBytes());
      } catch (LedgerException e) {
        notes.add(c.source().describe() + " returned an unreadable record: " + e.getMessage());
        continue;
      }
      if (!seen.add(entryKey)) {
        continue; // the same record, found again by another signal or in another source
      }
      Check sg = checkSignature(r);
      String[] origin = new String[1];
      Check in = checkInclusion(c.hit().receipt(), r, trusted, origin);
      boolean exact = r.contentSha256().equals(sha);
      int distance = c.hit().distance();
      double similarity = c.hit().similarity();
      if (fp != null && r.imageHash().isPresent()) {
        distance = ReceiptSource.hamming(r.imageHash().get(), fp.hex());
        similarity = 1 - distance / 256.0;
      } else if (minHash != null && r.textMinHash().isPresent()) {
        similarity = TextFingerprint.jaccardEstimate(minHash, r.textMinHash().get());
      }
      if (exact) {
        similarity = 1.0;
      }
      boolean bound = boundBy(c.via(), wm, ref, r);
      boolean matches = exact || bound || (distance >= 0 && distance <= settings.maxImageDistance())
          || (minHash != null && similarity >= settings.minKeyedTextSimilarity());
      scored.add(new Scored(c, r, sg, in, origin[0], bound, exact, distance, similarity, matches));
    }
    List<Scored> competing = new ArrayList<>(scored.stream().filter(x -> x.valid() && x.matches()).toList());
    if (competing.isEmpty()) {
      Scored first = scored.stream().filter(Scored::valid).findFirst().orElse(scored.isEmpty() ? null : scored.get(0));
      return new Selection(first, List.of(), null, false);
    }
    java.util.Comparator<Scored> rule = java.util.Comparator
        .comparing((Scored x) -> !x.payloadBound())
        .thenComparing(x -> !x.exact())
        .thenComparing(VerifierImpl::closeness)
        .thenComparing(Scored::time)
        .thenComparingLong(x -> x.candidate().hit().index());
    competing.sort(rule);
    Scored best = competing.get(0);
    List<Scored> others = competing.subList(1, competing.size());
    if (others.isEmpty()) {
      return new Selection(best, List.of(), null, false);
    }
    Scored second = others.get(0);
    String n = competing.size() + " records match";
    String choice;
    boolean ambiguous = false;
    if (best.payloadBound() && !second.payloadBound()) {
      choice = n + "; index " + best.candidate().hit().index() + " chosen: the watermark payload read from the file names it.";
    } else if (best.exact() && !second.exact()) {
      choice = n + "; index " + best.candidate().hit().index() + " chosen: the file is byte-identical to it.";
    } else if (closeness(best) < closeness(second)) {
      choice = n + "; index " + best.candidate().hit().index() + " chosen: the closest (" + describeCloseness(best)
          + " against " + describeCloseness(second) + ").";
    } else if (best.record().contentSha256().equals(second.record().contentSha256())
        && best.time().isBefore(second.time())) {
      choice = n + " for the same content; index " + best.candidate().hit().index()
          + " chosen: the earliest registration (" + best.record().timestamp().map(Object::toString).orElse("?") + ").";
    } else {
      ambiguous = true;
      choice = n + " equally well (" + describeCloseness(best) + " each" + (best.payloadBound() ? ", same watermark payload" : "")
          + "): the rule (" + Verdict.SELECTION_RULE + ") cannot separate them.";
    }
    return new Selection(best, List.copyOf(others), choice, ambiguous);
  }

  /** Smaller is closer: 0 for exact, else the image distance in bits, else (1 - similarity) for texts. */
  private static double closeness(Scored x) {
    if (x.exact()) {
      return -1;
    }
    if (x.distance() >= 0) {
      return x.distance();
    }
    return 1 - x.similarity();
  }

  private static String describeCloseness(Scored x) {
    if (x.exact()) {
      return "byte-identical";
    }
    if (x.distance() >= 0) {
      return x.distance() + "/256 bits apart";
    }
    return String.format(Locale.ROOT, "similarity %.2f", x.similarity());
  }

  private static String ambiguousSummary(String kind, RecordSignal best, List<RecordSignal> others, WatermarkSignal wm) {
    String what = kind.equals("image") ? "image" : kind.equals("text") ? "text" : "file";
    StringBuilder b = new StringBuilder("Ambiguous: ").append(others.size() + 1)
        .append(" signed ledger records match this ").append(what).append(" equally well (");
    List<RecordSignal> all = new ArrayList<>();
    all.add(best);
    all.addAll(others);
    for (int i = 0; i < all.size() && i < 4; i++) {
      RecordSignal r = all.get(i);
      b.append(i == 0 ? "" : "; ").append(r.model() == null ? "unnamed model" : "model " + r.model())
          .append(", index ").append(r.index()).append(" of log ").append(r.log());
    }
    if (all.size() > 4) {
      b.append("; ...");
    }
    b.append("), so it cannot be tied to one registration: origin not established.");
    if (!wm.checked() && kind.equals("image")) {
      b.append(" Verifying with the watermark key can separate them by the payload in the pixels.");
    }
    return b.toString();
  }

  private static boolean boundBy(String via, WatermarkSignal wm, ProvenanceReference ref, Record r) {
    String payload = SnapshotSource.payloadOf(r).orElse(null);
    if (payload == null) {
      return false;
    }
    return wm.detected() && payload.equals(wm.payload()) && wm.keyId().equals(r.watermarkKeyId().orElse(null));
  }

  private WatermarkSignal imageSignal(ImageDetection d) {
    if (!evidence.keyed()) {
      return WatermarkSignal.notChecked("no watermark key available (the watermark is secret-keyed)");
    }
    if (d == null) {
      return WatermarkSignal.notChecked("the image is smaller than " + EvidenceCollector.MIN_WATERMARK_SIDE
          + " pixels on a side, too small to carry the watermark");
    }
    String payload = d.payload() == null ? null : Hex.encode(d.payload());
    String detail = d.detected()
        ? String.format(Locale.ROOT, "detected under key %s (p = %.3g, scale %.2f)", d.keyId(), d.pValue(), d.scale())
        : String.format(Locale.ROOT, "not detected under %d key(s) (p = %.3g)", d.keysTried(), d.pValue());
    return new WatermarkSignal(true, d.detected(), d.detected() ? d.keyId() : null, d.pValue(), d.alpha(),
        d.keysTried(), "image-tss", payload, d.payloadValid(), detail);
  }

  private WatermarkSignal textSignal(MultiKeyTextResult r) {
    if (!evidence.keyed()) {
      return WatermarkSignal.notChecked("no watermark key available (the watermark is secret-keyed)");
    }
    if (r == null) {
      return WatermarkSignal.notChecked("the text is blank");
    }
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
    SignedNote note;
    try {
      note = SignedNote.parse(receipt.checkpointNote());
      origin = Checkpoint.parse(note.text()).origin();
    } catch (IllegalArgumentException e) {
      return new Check(Status.INVALID, "malformed checkpoint: " + e.getMessage());
    }
    originOut[0] = origin;
    // Several keys may be trusted for one log (a rotated key, a keyring's own signing keys): the
    // checkpoint is checked with the trusted key that signed it, whichever it is.
    List<NoteVerifierKey> forLog = new ArrayList<>();
    NoteVerifierKey key = null;
    for (NoteVerifierKey k : trusted) {
      if (!k.name().equals(origin)) {
        continue;
      }
      forLog.add(k);
      for (SignedNote.Signature sig : note.signatures()) {
        if (key == null && sig.keyName().equals(k.name()) && sig.keyId() == k.keyIdValue()) {
          key = k;
        }
      }
    }
    if (forLog.isEmpty()) {
      return new Check(Status.NOT_CHECKED, "the checkpoint is for log '" + origin
          + "', whose key you have not trusted: pass its verifier key (--log-key) or its ledger folder");
    }
    if (key == null) {
      return new Check(Status.NOT_CHECKED, "the checkpoint of log '" + origin + "' is signed by none of the "
          + forLog.size() + " key(s) trusted for that log: pass the verifier key of the key that signs it (--log-key)");
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
      Check incl, HashRelation rel, boolean established, boolean searched) {
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
          + (searched
              // Searched and not found: a passage inside a larger document (a web page) is not similar
              // to the registered text as a whole; it is still watermarked text.
              ? "), but no record in the ledgers and receipts consulted matches this " + what
                  + ": origin not established (if the watermarked text is part of a larger document, verify that passage alone)."
              : "), but no ledger record could be checked: origin not established (give the ledger or the receipt).");
    }
    if (ref != null) {
      return "The metadata names Hallmark record " + ref.id() + " in log " + ref.log()
          + ", but no such record could be checked: origin not established.";
    }
    return "No Hallmark provenance found: no metadata reference, no watermark"
        + (wm.checked() ? "" : " test (" + (wm.detail().startsWith("no watermark key") ? "no key" : wm.detail()) + ")")
        + (searched ? ", no matching ledger record." : ", and no ledger or receipt given to search for a record.");
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

}
