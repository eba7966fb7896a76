package dev.hallmark.cli.verify;

import dev.hallmark.provenance.Verdict;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints a {@link Verdict} for people: the verdict line, the sentence, then one line per signal. */
public final class VerdictText {
  private VerdictText() {}

  /**
   * Every line goes through {@link dev.hallmark.core.ErrorText#printable}: the file name, model names and other record
   * fields come from whoever made the file or the record.
   */
  public static void print(Verdict v, PrintWriter out) {
    print(v, out, true);
  }

  /**
   * As {@link #print(Verdict, PrintWriter)}; {@code ledgerGiven} false says that only receipts were
   * searched (no {@code --ledger}), so a record not found may still be in a ledger.
   */
  public static void print(Verdict v, PrintWriter out, boolean ledgerGiven) {
    out.println(safe(v.fileName()) + ": " + (v.originEstablished() ? "ORIGIN ESTABLISHED"
        : v.ambiguous() ? "ORIGIN AMBIGUOUS" : "ORIGIN NOT ESTABLISHED"));
    out.println("  " + safe(v.summary()));
    line(out, v.reference() != null ? "yes" : "no", "metadata reference",
        v.reference() != null ? v.reference().encode() : "none in the file's metadata");
    line(out, !v.watermark().checked() ? "-" : v.watermark().detected() ? "yes" : "no", "watermark",
        v.watermark().detail() + (v.watermark().payload() != null ? ", payload " + v.watermark().payload() : ""));
    line(out, v.record().found() ? "yes" : v.record().searched() ? "no" : "-", "ledger record", v.record().found()
        ? "index " + v.record().index() + " in log " + v.record().log() + " (found by " + v.record().via() + " in "
            + v.record().source() + ")"
        : !v.record().searched() ? "not searched: no ledger or receipt given (give --ledger DIR|URL or --receipt FILE)"
        : ledgerGiven ? "no matching record in the ledgers and receipts consulted"
        : "no matching record in the receipts given, and no ledger given to search (give --ledger DIR|URL)");
    line(out, mark(v.signature()), "producer signature", v.signature().detail());
    line(out, mark(v.inclusion()), "inclusion proof", v.inclusion().detail());
    String hash;
    switch (v.hash()) {
      case EQUAL -> hash = "identical to the registered content (SHA-256 " + v.sha256().substring(0, 16) + "...)";
      case SIMILAR -> hash = "only similar: an edited or re-encoded copy" + (v.record().distance() >= 0
          ? " (perceptual hash " + v.record().distance() + "/256 bits apart)"
          : String.format(Locale.ROOT, " (fingerprint similarity %.2f)", v.record().similarity()));
      case DIFFERENT -> hash = "neither identical nor similar to the record's content";
      default -> hash = "no record to compare with";
    }
    line(out, v.hash() == Verdict.HashRelation.EQUAL ? "yes" : v.hash() == Verdict.HashRelation.SIMILAR ? "~" : "no",
        "file vs record", hash);
    for (Verdict.RecordSignal o : v.otherMatches()) {
      line(out, "also", "other match", "index " + o.index() + " in log " + o.log() + ", model "
          + (o.model() == null ? "(unnamed)" : o.model()) + (o.timestamp() == null ? "" : ", tagged at " + o.timestamp())
          + (o.distance() >= 0 ? " (" + o.distance() + "/256 bits apart)"
              : String.format(Locale.ROOT, " (similarity %.2f)", o.similarity())));
    }
    if (v.choice() != null) {
      out.println("  choice: " + safe(v.choice()));
    }
    for (String n : v.notes()) {
      out.println("  note: " + safe(n));
    }
    out.flush();
  }

  private static String mark(Verdict.Check c) {
    return switch (c.status()) {
      case VALID -> "yes";
      case INVALID -> "FAIL";
      default -> "-";
    };
  }

  private static void line(PrintWriter out, String mark, String what, String detail) {
    out.printf("  [%-4s] %-19s %s%n", mark, what, safe(detail));
  }

  private static String safe(String s) {
    return dev.hallmark.core.ErrorText.printable(s);
  }
}
