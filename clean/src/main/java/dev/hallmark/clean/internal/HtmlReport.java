package dev.hallmark.clean.internal;

import dev.hallmark.clean.CleanReport;
import dev.hallmark.detector.Reason;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** report.html: one self-contained page (inline CSS and SVG, no scripts, no network). */
final class HtmlReport {
  private HtmlReport() {}

  static String render(CleanReport r) {
    return render(r, List.of(), r.removed());
  }

  /** The page, listing {@code removed} (the first of {@code removedTotal} removed documents). */
  static String render(CleanReport r, List<Removed> removed, long removedTotal) {
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Hallmark clean report</title><style>")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append("th{background:#f3f3f3}td.l,th.l{text-align:left}.ok{color:#17702a}.bad{color:#b00020}")
        .append(".charts{display:flex;flex-wrap:wrap;gap:1.5em}figure{margin:0}figcaption{font-size:12px;color:#555;max-width:480px}")
        .append("</style></head><body>\n");
    h.append("<h1>Hallmark clean report</h1>\n");
    h.append("<p>Output folder: <code>").append(esc(r.output().toString())).append("</code></p>\n");
    h.append("<h2>Totals</h2><table><tr><th>documents</th><th>kept</th><th>removed</th><th>errors</th><th>conserved</th></tr><tr>")
        .append(td(r.documents())).append(td(r.kept())).append(td(r.removed())).append(td(r.errors()))
        .append("<td class=\"").append(r.conserved() ? "ok\">yes" : "bad\">NO").append("</td></tr></table>\n");
    h.append("<h2>Per input</h2><table><tr><th class=\"l\">input</th><th class=\"l\">unit</th><th class=\"l\">kind</th>")
        .append("<th>documents</th><th>kept</th><th>removed</th><th>errors</th><th>skipped</th><th>MB</th><th>conserved</th></tr>\n");
    for (CleanReport.InputCounts c : r.inputs()) {
      h.append("<tr><td class=\"l\">").append(esc(c.input())).append("</td><td class=\"l\">").append(esc(c.unit()))
          .append("</td><td class=\"l\">").append(c.kind()).append("</td>").append(td(c.documents())).append(td(c.kept()))
          .append(td(c.removed())).append(td(c.errors())).append(td(c.skipped()))
          .append("<td>").append(String.format(Locale.ROOT, "%.2f", c.bytes() / 1e6)).append("</td>")
          .append("<td class=\"").append(c.conserved() ? "ok\">yes" : "bad\">NO").append("</td></tr>\n");
    }
    h.append("</table>\n");
    for (CleanReport.InputCounts c : r.inputs()) {
      if (c.warning() != null) {
        h.append("<p class=\"bad\">").append(esc(c.warning())).append("</p>\n");
      }
    }
    h.append("<h2>Removed by reason</h2><table><tr><th class=\"l\">reason</th><th>documents</th></tr>\n");
    for (Reason reason : Reason.values()) {
      h.append("<tr><td class=\"l\">").append(reasonLabel(reason.name())).append("</td>").append(td(r.byReason().getOrDefault(reason, 0L))).append("</tr>\n");
    }
    h.append("</table>\n");
    h.append(removedList(removed, removedTotal));
    h.append("<h2>Score histograms</h2><div class=\"charts\">\n");
    Object a = r.policy().get("alpha");
    Double alpha = a instanceof Number num ? num.doubleValue() : null;
    for (CleanReport.Histogram hist : r.histograms()) {
      h.append(chart(hist, alpha));
    }
    h.append("</div>\n<h2>Policy</h2>").append(kv(r.policy()));
    h.append("<h2>Detector</h2>").append(kv(r.detector()));
    CleanReport.RunStats run = r.run();
    h.append("<h2>This run</h2><table>")
        .append(row("seconds", String.format(Locale.ROOT, "%.1f", run.seconds())))
        .append(row("documents processed", Long.toString(run.documents())))
        .append(row("documents per second", String.format(Locale.ROOT, "%.1f", run.documentsPerSecond())))
        .append(row("MB per second", String.format(Locale.ROOT, "%.2f", run.megabytesPerSecond())))
        .append(row("shards processed", Long.toString(run.shardsProcessed())))
        .append(row("shards already done (resumed)", Long.toString(run.shardsSkipped())))
        .append(row("threads", Integer.toString(run.threads())))
        .append("</table>\n</body></html>\n");
    return h.toString();
  }

  /** A removed document as listed in the report: its id, where it was, why, and the removed/ file holding its record. */
  record Removed(String id, String location, List<String> reasons, String file) {}

  /** Readable title and x-axis label of each histogram of {@link ShardStats#histograms()}. */
  private static final Map<String, String[]> TITLES = Map.of(
      "textPValue", new String[] {"Text watermark: smallest p-value per document", "p-value (bins by powers of ten)"},
      "imagePValue", new String[] {"Image watermark: smallest p-value per document", "p-value (bins by powers of ten)"},
      "textJaccard", new String[] {"Ledger text match: MinHash Jaccard similarity", "estimated Jaccard similarity"},
      "imageHamming", new String[] {"Ledger image match: perceptual-hash distance", "Hamming distance (bits of 256)"});

  static String title(String name) {
    String[] t = TITLES.get(name);
    return t == null ? name : t[0];
  }

  /**
   * One histogram as an inline SVG bar chart: a readable title, a y axis with tick values and grid
   * lines, x labels per bin and an x-axis label; on p-value charts a dashed line at {@code alpha}
   * (bins are powers of ten: bin i holds p in [1e-(i+1), 1e-i)).
   */
  static String chart(CleanReport.Histogram hist, Double alpha) {
    List<Long> counts = hist.counts();
    List<String> labels = hist.labels();
    int n = counts.size();
    long max = 1;
    long total = 0;
    for (long c : counts) {
      max = Math.max(max, c);
      total += c;
    }
    long top = niceTop(max);
    String[] t = TITLES.getOrDefault(hist.name(), new String[] {hist.name(), ""});
    int w = 520;
    int hgt = 290;
    int left = 56;
    int right = 12;
    int topMargin = 30;
    int bottom = 86;
    int plotH = hgt - bottom - topMargin;
    int base = hgt - bottom;
    double bw = (w - left - right) / (double) n;
    StringBuilder s = new StringBuilder();
    s.append("<figure class=\"chart\" data-histogram=\"").append(esc(hist.name())).append("\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(w).append("\" height=\"").append(hgt).append("\" role=\"img\" aria-label=\"").append(esc(t[0])).append("\">");
    s.append("<text x=\"").append(left).append("\" y=\"16\" font-size=\"13\" font-weight=\"bold\">").append(esc(t[0]))
        .append(" (n = ").append(total).append(")</text>");
    // y axis: ticks at 0, top/2 and top, with grid lines, and its label.
    for (long v : new long[] {0, top / 2, top}) {
      double y = base - plotH * (double) v / top;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>",
          left, y, w - right, y, v == 0 ? "#444" : "#ddd"));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%d</text>",
          left - 4, y + 3, v));
    }
    s.append("<line x1=\"").append(left).append("\" y1=\"").append(topMargin).append("\" x2=\"").append(left)
        .append("\" y2=\"").append(base).append("\" stroke=\"#444\"/>");
    s.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">documents</text>",
        topMargin + plotH / 2, topMargin + plotH / 2));
    for (int i = 0; i < n; i++) {
      long c = counts.get(i);
      double bh = c == 0 ? 0 : Math.max(1, plotH * (double) c / top);
      double x = left + i * bw + 1;
      double y = base - bh;
      s.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b6ea8\"><title>%s: %d</title></rect>",
          x, y, Math.max(1, bw - 2), bh, esc(labels.get(i)), c));
      s.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" transform=\"rotate(45 %.1f %d)\">%s</text>",
          x + 2, base + 10, x + 2, base + 10, esc(labels.get(i))));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
        left + (w - left - right) / 2.0, hgt - 6, esc(t[1])));
    if (alpha != null && alpha > 0 && alpha < 1 && hist.name().endsWith("PValue")) {
      double x = left + Math.min(n, -Math.log10(alpha)) * bw;
      s.append(String.format(Locale.ROOT, "<line class=\"alpha\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#b00020\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>",
          x, topMargin, x, base));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#b00020\" text-anchor=\"%s\">alpha = %s</text>",
          x + (x > w / 2.0 ? -4 : 4), topMargin + 10, x > w / 2.0 ? "end" : "start", esc(String.format(Locale.ROOT, "%.0e", alpha))));
    }
    s.append("</svg><figcaption>").append(esc(hist.description()));
    if (alpha != null && hist.name().endsWith("PValue")) {
      s.append(". Dashed line: the per-document false-positive budget alpha; documents right of it (smaller p) are"
          + " removed when their share of alpha is met.");
    }
    s.append("</figcaption></figure>\n");
    return s.toString();
  }

  /** The smallest of 1, 2, 5 x 10^k at or above {@code max}, and even, so top/2 is a whole tick. */
  static long niceTop(long max) {
    long p = 1;
    while (true) {
      for (long m : new long[] {1, 2, 5}) {
        long v = m * p;
        if (v >= max && (v % 2 == 0 || v == 1)) {
          return Math.max(2, v);
        }
      }
      p *= 10;
    }
  }

  private static String removedList(List<Removed> removed, long total) {
    StringBuilder s = new StringBuilder();
    s.append("<h2>Removed documents</h2>\n");
    if (total == 0) {
      return s.append("<p>None.</p>\n").toString();
    }
    s.append("<p>").append(removed.size() < total ? "The first " + removed.size() + " of " + total : "All " + total)
        .append(" removed documents, with their reasons; each links to the <code>removed/</code> file that holds its")
        .append(" record and evidence.</p>\n");
    s.append("<table class=\"removed\"><tr><th class=\"l\">id</th><th class=\"l\">location</th><th class=\"l\">reasons</th>")
        .append("<th class=\"l\">record</th></tr>\n");
    for (Removed r : removed) {
      s.append("<tr><td class=\"l\">").append(esc(r.id())).append("</td><td class=\"l\">").append(esc(r.location()))
          .append("</td><td class=\"l\">").append(esc(String.join(", ", r.reasons().stream().map(HtmlReport::reasonLabel).toList())))
          .append("</td><td class=\"l\"><a href=\"").append(esc(r.file())).append("\">").append(esc(r.file()))
          .append("</a></td></tr>\n");
    }
    return s.append("</table>\n").toString();
  }

  static String reasonLabel(String reason) {
    return reason.toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static String kv(Map<String, Object> m) {
    StringBuilder s = new StringBuilder("<table>");
    for (Map.Entry<String, Object> e : m.entrySet()) {
      s.append(row(e.getKey(), String.valueOf(e.getValue())));
    }
    return s.append("</table>\n").toString();
  }

  private static String row(String k, String v) {
    return "<tr><th class=\"l\">" + esc(k) + "</th><td class=\"l\">" + esc(v) + "</td></tr>";
  }

  private static String td(long v) {
    return "<td>" + v + "</td>";
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
