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
    h.append("</table>\n<h2>Removed by reason</h2><table><tr><th class=\"l\">reason</th><th>documents</th></tr>\n");
    for (Reason reason : Reason.values()) {
      h.append("<tr><td class=\"l\">").append(reason.name()).append("</td>").append(td(r.byReason().getOrDefault(reason, 0L))).append("</tr>\n");
    }
    h.append("</table>\n<h2>Score histograms</h2><div class=\"charts\">\n");
    for (CleanReport.Histogram hist : r.histograms()) {
      h.append(chart(hist));
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

  private static String chart(CleanReport.Histogram hist) {
    List<Long> counts = hist.counts();
    List<String> labels = hist.labels();
    int n = counts.size();
    long max = 1;
    long total = 0;
    for (long c : counts) {
      max = Math.max(max, c);
      total += c;
    }
    int w = 480;
    int hgt = 220;
    int left = 40;
    int bottom = 60;
    double bw = (w - left - 10.0) / n;
    StringBuilder s = new StringBuilder();
    s.append("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(hgt)
        .append("\" role=\"img\" aria-label=\"").append(esc(hist.name())).append("\">");
    s.append("<text x=\"").append(left).append("\" y=\"14\" font-size=\"13\" font-weight=\"bold\">").append(esc(hist.name()))
        .append(" (n=").append(total).append(")</text>");
    int plotH = hgt - bottom - 24;
    s.append("<line x1=\"").append(left).append("\" y1=\"").append(hgt - bottom).append("\" x2=\"").append(w - 10)
        .append("\" y2=\"").append(hgt - bottom).append("\" stroke=\"#444\"/>");
    s.append("<text x=\"").append(left - 4).append("\" y=\"").append(24 + 10).append("\" font-size=\"10\" text-anchor=\"end\">")
        .append(max).append("</text>");
    for (int i = 0; i < n; i++) {
      long c = counts.get(i);
      double bh = c == 0 ? 0 : Math.max(1, plotH * (double) c / max);
      double x = left + i * bw + 1;
      double y = hgt - bottom - bh;
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b6ea8\"><title>%s: %d</title></rect>",
          x, y, Math.max(1, bw - 2), bh, esc(labels.get(i)), c));
      s.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" transform=\"rotate(50 %.1f %d)\">%s</text>",
          x + 2, hgt - bottom + 10, x + 2, hgt - bottom + 10, esc(labels.get(i))));
    }
    s.append("</svg><figcaption>").append(esc(hist.description())).append("</figcaption></figure>\n");
    return s.toString();
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
