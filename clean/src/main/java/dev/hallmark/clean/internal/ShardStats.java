package dev.hallmark.clean.internal;

import dev.hallmark.clean.CleanReport;
import dev.hallmark.detector.DocumentDecision;
import dev.hallmark.detector.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Counts and score histograms of one shard; summed over shards for the report. */
final class ShardStats {
  static final int P_BINS = 13;
  static final int J_BINS = 10;
  static final int H_BINS = 9;

  long documents;
  long kept;
  long removed;
  long errors;
  long skipped;
  long bytes;
  final long[] reasons = new long[Reason.values().length];
  final long[] textP = new long[P_BINS];
  final long[] imageP = new long[P_BINS];
  final long[] jaccard = new long[J_BINS];
  final long[] hamming = new long[H_BINS];

  void score(DocumentDecision d) {
    if (!Double.isNaN(d.textPValue())) {
      textP[pBin(d.textPValue())]++;
    }
    if (!Double.isNaN(d.imagePValue())) {
      imageP[pBin(d.imagePValue())]++;
    }
    if (!Double.isNaN(d.textJaccard())) {
      jaccard[Math.min(J_BINS - 1, Math.max(0, (int) Math.floor(d.textJaccard() * J_BINS)))]++;
    }
    if (d.imageHamming() >= 0) {
      hamming[Math.min(H_BINS - 1, d.imageHamming() / 16)]++;
    }
    d.reasons().forEach(r -> reasons[r.ordinal()]++);
  }

  static int pBin(double p) {
    if (!(p > 0)) {
      return P_BINS - 1;
    }
    double l = -Math.log10(Math.min(1.0, p));
    return Math.min(P_BINS - 1, (int) Math.floor(l));
  }

  void add(ShardStats o) {
    documents += o.documents;
    kept += o.kept;
    removed += o.removed;
    errors += o.errors;
    skipped += o.skipped;
    bytes += o.bytes;
    addAll(reasons, o.reasons);
    addAll(textP, o.textP);
    addAll(imageP, o.imageP);
    addAll(jaccard, o.jaccard);
    addAll(hamming, o.hamming);
  }

  private static void addAll(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("documents", documents);
    m.put("kept", kept);
    m.put("removed", removed);
    m.put("errors", errors);
    m.put("skipped", skipped);
    m.put("bytes", bytes);
    m.put("reasons", list(reasons));
    m.put("textP", list(textP));
    m.put("imageP", list(imageP));
    m.put("jaccard", list(jaccard));
    m.put("hamming", list(hamming));
    return m;
  }

  @SuppressWarnings("unchecked")
  static ShardStats fromMap(Map<String, Object> m) {
    ShardStats s = new ShardStats();
    s.documents = ((Number) m.get("documents")).longValue();
    s.kept = ((Number) m.get("kept")).longValue();
    s.removed = ((Number) m.get("removed")).longValue();
    s.errors = ((Number) m.get("errors")).longValue();
    s.skipped = ((Number) m.get("skipped")).longValue();
    s.bytes = ((Number) m.get("bytes")).longValue();
    fill(s.reasons, (List<Number>) m.get("reasons"));
    fill(s.textP, (List<Number>) m.get("textP"));
    fill(s.imageP, (List<Number>) m.get("imageP"));
    fill(s.jaccard, (List<Number>) m.get("jaccard"));
    fill(s.hamming, (List<Number>) m.get("hamming"));
    return s;
  }

  private static void fill(long[] a, List<Number> l) {
    if (l == null || l.size() != a.length) {
      throw new IllegalArgumentException("histogram has " + (l == null ? 0 : l.size()) + " bins, expected " + a.length);
    }
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i).longValue();
    }
  }

  private static List<Long> list(long[] a) {
    List<Long> l = new ArrayList<>(a.length);
    for (long v : a) {
      l.add(v);
    }
    return l;
  }

  List<CleanReport.Histogram> histograms() {
    List<String> pl = new ArrayList<>();
    for (int i = 0; i < P_BINS - 1; i++) {
      pl.add(String.format(Locale.ROOT, "1e-%d..1e-%d", i, i + 1));
    }
    pl.add("<1e-" + (P_BINS - 1));
    List<String> jl = new ArrayList<>();
    for (int i = 0; i < J_BINS; i++) {
      jl.add(String.format(Locale.ROOT, "%.1f-%.1f", i / 10.0, (i + 1) / 10.0));
    }
    List<String> hl = new ArrayList<>();
    for (int i = 0; i < H_BINS - 1; i++) {
      hl.add((i * 16) + "-" + (i * 16 + 15));
    }
    hl.add(">=" + ((H_BINS - 1) * 16));
    return List.of(
        new CleanReport.Histogram("textPValue", "smallest family-wise p-value of the text watermark test, per scored document", pl, list(textP)),
        new CleanReport.Histogram("imagePValue", "smallest image watermark p-value, per document with scanned images", pl, list(imageP)),
        new CleanReport.Histogram("textJaccard", "largest MinHash Jaccard estimate of a ledger match (the ledger returns matches at or above the threshold; 0 when none), per looked-up document", jl, list(jaccard)),
        new CleanReport.Histogram("imageHamming", "smallest perceptual-hash Hamming distance of a ledger image match (within the threshold), per document with a match", hl, list(hamming)));
  }
}
