package dev.hallmark.clean;

import com.github.luben.zstd.ZstdOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;

/** Builds real test inputs programmatically: JSONL (plain, gzip, zstd), WARC, HTML with images, PDF. */
public final class Fixtures {
  private Fixtures() {}

  public static void writeLines(Path p, List<String> lines) throws IOException {
    try (OutputStream o = open(p)) {
      for (String l : lines) {
        o.write(l.getBytes(StandardCharsets.UTF_8));
        o.write('\n');
      }
    }
  }

  public static void writeRaw(Path p, byte[] data) throws IOException {
    try (OutputStream o = open(p)) {
      o.write(data);
    }
  }

  private static OutputStream open(Path p) throws IOException {
    OutputStream o = Files.newOutputStream(p);
    String n = p.getFileName().toString();
    if (n.endsWith(".gz")) {
      return new GZIPOutputStream(o);
    }
    if (n.endsWith(".zst")) {
      return new ZstdOutputStream(o);
    }
    if (n.endsWith(".bz2")) {
      return new org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream(o);
    }
    if (n.endsWith(".xz")) {
      return new org.apache.commons.compress.compressors.xz.XZCompressorOutputStream(o);
    }
    return o;
  }

  /** A PNG of one solid colour with a little texture. */
  public static byte[] png(int w, int h, Color c, long seed) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.util.Random r = new java.util.Random(seed);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int d = r.nextInt(9) - 4;
        img.setRGB(x, y, new Color(clamp(c.getRed() + d), clamp(c.getGreen() + d), clamp(c.getBlue() + d)).getRGB());
      }
    }
    return encode(img, "png");
  }

  public static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    if (!ImageIO.write(img, format, b)) {
      throw new IOException("no writer for " + format);
    }
    return b.toByteArray();
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** HTML with the given paragraphs and images as data: URIs. */
  public static String html(String title, String body, List<byte[]> pngs) {
    StringBuilder s = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
        .append(title).append("</title></head><body><h1>").append(title).append("</h1><p>")
        .append(body.replace("&", "&amp;").replace("<", "&lt;")).append("</p>");
    for (byte[] p : pngs) {
      s.append("<img alt=\"x\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(p)).append("\">");
    }
    return s.append("</body></html>").toString();
  }

  /** A one-page PDF with the text (wrapped) and optionally one image. */
  public static byte[] pdf(String text, BufferedImage image) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 10);
        cs.setLeading(12);
        cs.newLineAtOffset(40, 750);
        StringBuilder line = new StringBuilder();
        int lines = 0;
        for (String w : text.replaceAll("[^\\x20-\\x7e]", " ").split("\\s+")) {
          if (line.length() + w.length() > 95) {
            cs.showText(line.toString());
            cs.newLine();
            line.setLength(0);
            if (++lines > 55) {
              break;
            }
          }
          line.append(w).append(' ');
        }
        if (line.length() > 0 && lines <= 55) {
          cs.showText(line.toString());
        }
        cs.endText();
        if (image != null) {
          PDImageXObject x = LosslessFactory.createFromImage(doc, image);
          cs.drawImage(x, 40, 40, Math.min(300, image.getWidth()), Math.min(300, image.getHeight()));
        }
      }
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      doc.save(b);
      return b.toByteArray();
    }
  }

  /** A record to put in a WARC. */
  public record WarcEntry(String uri, String contentType, byte[] body) {}

  public static void writeWarc(Path p, List<WarcEntry> entries, boolean gzip) throws IOException {
    try (WarcWriter w = new WarcWriter(java.nio.channels.FileChannel.open(p,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING), gzip ? WarcCompression.GZIP : WarcCompression.NONE)) {
      w.write(new org.netpreserve.jwarc.Warcinfo.Builder().fields(java.util.Map.of("software", List.of("hallmark-tests"))).build());
      for (WarcEntry e : entries) {
        HttpResponse http = new HttpResponse.Builder(200, "OK")
            .body(MediaType.parse(e.contentType()), e.body())
            .build();
        w.write(new WarcResponse.Builder(URI.create(e.uri())).body(http).build());
      }
    }
  }

  public static BufferedImage solid(int w, int h, Color c) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }
}
