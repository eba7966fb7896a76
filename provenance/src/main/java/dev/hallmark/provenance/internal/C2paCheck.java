package dev.hallmark.provenance.internal;

import dev.hallmark.c2pa.C2pa;
import dev.hallmark.c2pa.C2paException;
import dev.hallmark.c2pa.C2paReport;
import dev.hallmark.c2pa.ManifestInfo;
import dev.hallmark.c2pa.MediaFormat;
import dev.hallmark.c2pa.TrustAnchors;
import dev.hallmark.c2pa.ValidationState;
import dev.hallmark.core.Hex;
import dev.hallmark.ledger.Record;
import dev.hallmark.provenance.C2paSignal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The Content Credentials part of a verdict: the file's own manifest, else the one its ledger record stores. */
final class C2paCheck {
  private C2paCheck() {}

  /**
   * @param record the ledger record the file led to, or null
   * @param recordVerified whether that record's signature and inclusion proof verified
   * @param via how the record was found (watermark-payload, exact-hash, ...)
   */
  static C2paSignal check(byte[] content, Record record, boolean recordVerified, String via, TrustAnchors anchors,
      List<String> notes) {
    String unreadable = null;
    if (MediaFormat.sniff(content) != null) {
      try {
        Optional<C2paReport> r = C2pa.read(content, anchors);
        if (r.isPresent() && !r.get().hasCode(C2paReport.MULTIPLE_STORES)) {
          return signal(r.get(), false, null, List.of(), null);
        }
        if (r.isPresent()) {
          // Present but malformed: the file's own store is the signal (Invalid); the one the ledger
          // record stores, if any, is worth a note.
          C2paSignal stored = fromRecord(record, recordVerified, via, anchors, notes,
              "the file's own manifest store is malformed");
          if (stored.present()) {
            notes.add(stored.detail());
          }
          return signal(r.get(), false, null, List.of(), "its manifest store is malformed: the file holds more than one");
        }
      } catch (C2paException e) {
        unreadable = "the file's own manifest store cannot be read";
        notes.add("the file's C2PA manifest store cannot be read: " + e.getMessage());
      }
    }
    return fromRecord(record, recordVerified, via, anchors, notes, unreadable);
  }

  /**
   * The manifest the verified ledger record stores, or none.
   *
   * @param fileProblem what is wrong with the file's own store ("the file's own manifest store is
   *     malformed"), or null when the file carries none
   */
  private static C2paSignal fromRecord(Record record, boolean recordVerified, String via, TrustAnchors anchors,
      List<String> notes, String fileProblem) {
    String inFile = fileProblem == null ? "no C2PA manifest in the file" : fileProblem;
    if (record == null || !recordVerified) {
      return C2paSignal.none(inFile + (record == null ? "" : "; the ledger record did not verify"));
    }
    String b64 = record.attributes().map(a -> a.path("c2pa").path("manifestStore").asText(null)).orElse(null);
    if (b64 == null) {
      return C2paSignal.none(inFile + (fileProblem == null ? " or its ledger record" : "; the ledger record stores none"));
    }
    C2paReport r;
    try {
      r = C2pa.validateDetached(Base64.getDecoder().decode(b64), anchors, Instant.now());
    } catch (IllegalArgumentException | C2paException e) {
      notes.add("the ledger record's C2PA manifest cannot be read: " + e.getMessage());
      return C2paSignal.none("the ledger record's C2PA manifest cannot be read");
    }
    List<String> extra = new ArrayList<>();
    String payload = SnapshotSource.payloadOf(record).orElse(null);
    ManifestInfo m = r.activeManifest();
    if (payload != null && m != null) {
      String expected = TaggerImpl.softBindingValue(Hex.decode(payload));
      boolean bound = m.softBindings().stream().anyMatch(b -> b.values().contains(expected));
      if (!bound) {
        extra.add("hallmark.softBinding.mismatch");
        notes.add("the recovered C2PA manifest's soft binding does not name the record's watermark payload");
      }
    }
    return signal(r, true, via, extra, fileProblem);
  }

  /** @param fileProblem what is wrong with the file's own manifest store, or null */
  private static C2paSignal signal(C2paReport r, boolean recovered, String via, List<String> extraFailures,
      String fileProblem) {
    ManifestInfo m = r.activeManifest();
    List<String> failures = new ArrayList<>(r.failureCodes());
    failures.addAll(extraFailures);
    String state = r.state() == ValidationState.INVALID || !extraFailures.isEmpty() ? "Invalid" : display(r.state());
    boolean ai = m != null && m.isTrainedAlgorithmicMedia();
    String agent = null;
    if (m != null) {
      for (ManifestInfo.Action a : m.actions()) {
        if (a.softwareAgent() != null) {
          agent = a.softwareAgent();
          break;
        }
      }
    }
    StringBuilder d = new StringBuilder();
    if (recovered) {
      d.append("Content Credentials recovered from the ledger record (found by ").append(via).append("; ")
          .append(fileProblem != null ? fileProblem : "the file itself carries none").append("): C2PA ");
    } else {
      d.append("Content Credentials (C2PA) in the file").append(fileProblem != null ? " (" + fileProblem + ")" : "")
          .append(": ");
    }
    d.append(state);
    // What a manifest whose signature or actions assertion fails says is a claim, never stated as fact.
    boolean signed = r.signatureVerified();
    boolean actions = r.actionsVerified();
    if (m != null && m.signer() != null) {
      d.append(signed ? ", signed by " + m.signer() : ", claims to be signed by " + m.signer() + "; the signature does not verify");
    } else if (!signed) {
      d.append("; the claim signature does not verify");
    }
    String declared = "trainedAlgorithmicMedia" + (agent == null ? "" : ", " + agent);
    if (actions) {
      d.append(ai ? "; declares the content AI-generated (" + declared + ")" : "; no AI generation declared");
    } else if (ai) {
      d.append("; claims the content is AI-generated (").append(declared).append("), not verified")
          .append(signed ? ": the actions assertion does not verify" : "");
    } else {
      d.append("; no verified AI generation declaration");
    }
    if (!failures.isEmpty()) {
      List<String> shown = new ArrayList<>(failures);
      if (!"Invalid".equals(state)) {
        shown.remove("signingCredential.untrusted");
      }
      if (!shown.isEmpty()) {
        d.append("; failures: ").append(String.join(", ", shown));
      }
    }
    d.append('.');
    return new C2paSignal(true, recovered, state, m == null ? null : m.label(), m == null ? null : m.signer(), ai, agent,
        failures, d.toString(), signed, actions);
  }

  private static String display(ValidationState s) {
    return s.name().charAt(0) + s.name().substring(1).toLowerCase(Locale.ROOT);
  }
}
