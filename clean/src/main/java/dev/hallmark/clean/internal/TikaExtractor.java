package dev.hallmark.clean.internal;

import dev.hallmark.detector.DocumentException;
import dev.hallmark.detector.EmbeddedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.io.input.CloseShieldInputStream;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.AutoDetectParserConfig;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.EmbeddedContentHandler;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Text and images of one file or HTTP payload, through Apache Tika, with limits: extracted characters,
 * embedded depth and count, image size, a deadline checked as content streams out, and Tika's own
 * zip-bomb (compression ratio) and nesting-depth protections. Thread-safe: one instance serves every
 * worker.
 */
final class TikaExtractor {
  /** What came out of one document. */
  record Extracted(String mediaType, String text, List<EmbeddedImage> images, boolean truncated) {}

  private final AutoDetectParser parser;
  private final int maxChars;
  private final int maxDepth;
  private final int maxResources;
  private final long maxImageBytes;

  TikaExtractor(int maxChars, int maxDepth, int maxResources, long maxImageBytes) {
    this.parser = new AutoDetectParser();
    AutoDetectParserConfig cfg = new AutoDetectParserConfig();
    cfg.setMaximumCompressionRatio(100);
    cfg.setOutputThreshold(10_000_000L);
    cfg.setMaximumDepth(100);
    cfg.setMaximumPackageEntryDepth(Math.max(1, maxDepth));
    parser.setAutoDetectParserConfig(cfg);
    this.maxChars = maxChars;
    this.maxDepth = maxDepth;
    this.maxResources = maxResources;
    this.maxImageBytes = maxImageBytes;
  }

  /** The error for a document whose text is longer than {@code maxChars}, however it was extracted. */
  static DocumentException textTooLong(int maxChars) {
    return new DocumentException("extracted text exceeds the limit of " + maxChars
        + " characters (a decompression bomb or an unusually large document); it cannot be checked whole");
  }

  /**
   * Whether a parser that reads content ran: Tika records every parser it used in
   * {@code X-TIKA:Parsed-By}; only the dispatching parsers and the empty fallback there means that
   * nothing could read the type.
   */
  static boolean parsedByAnExtractor(Metadata md) {
    for (String p : md.getValues(TikaCoreProperties.TIKA_PARSED_BY)) {
      if (!p.endsWith(".DefaultParser") && !p.endsWith(".AutoDetectParser") && !p.endsWith(".CompositeParser")
          && !p.endsWith(".EmptyParser")) {
        return true;
      }
    }
    return false;
  }

  /** Formats whose point is pages of text (PDF, Word, OpenDocument, RTF, EPUB): empty extraction means damage. */
  static boolean isPagedDocument(MediaType type) {
    String t = type.getBaseType().toString();
    return t.equals("application/pdf") || t.equals("application/rtf") || t.equals("application/msword")
        || t.equals("application/epub+zip") || t.startsWith("application/vnd.openxmlformats-officedocument.wordprocessingml")
        || t.startsWith("application/vnd.oasis.opendocument.text");
  }

  static boolean isSvg(MediaType type) {
    return "image".equals(type.getType()) && type.getSubtype().startsWith("svg");
  }

  Extracted extract(InputStream raw, String name, String contentType, long deadlineNanos) throws DocumentException {
    Metadata md = new Metadata();
    if (name != null) {
      md.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
    }
    if (contentType != null) {
      md.set(Metadata.CONTENT_TYPE, contentType);
    }
    Sink sink = new Sink(maxChars, deadlineNanos);
    try (TikaInputStream tis = TikaInputStream.get(raw)) {
      MediaType type = parser.getDetector().detect(tis, md);
      // SVG is XML, not pixels: its text (titles, labels, embedded text) is extracted and scanned
      // like any document's, instead of handing it to the raster image check, which skips it.
      if ("image".equals(type.getType()) && !isSvg(type)) {
        byte[] b = tis.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxImageBytes + 1));
        if (b.length > maxImageBytes) {
          throw new DocumentException("image is larger than the limit of " + maxImageBytes + " bytes");
        }
        if (b.length == 0) {
          throw new DocumentException("empty file");
        }
        return new Extracted(type.toString(), "", List.of(new EmbeddedImage(name == null ? "image" : name, type.toString(), b)), false);
      }
      checkZipBomb(tis, deadlineNanos);
      ParseContext ctx = new ParseContext();
      Collector collector = new Collector(ctx, sink);
      ctx.set(EmbeddedDocumentExtractor.class, collector);
      ctx.set(Parser.class, parser);
      PDFParserConfig pdf = new PDFParserConfig();
      pdf.setExtractInlineImages(true);
      pdf.setExtractUniqueInlineImagesOnly(true);
      ctx.set(PDFParserConfig.class, pdf);
      TesseractOCRConfig ocr = new TesseractOCRConfig();
      ocr.setSkipOcr(true);
      ctx.set(TesseractOCRConfig.class, ocr);
      try {
        parser.parse(tis, new BodyContentHandler(sink), md, ctx);
      } catch (LimitReached e) {
        // Enough text: keep what was extracted.
      } catch (SAXException e) {
        if (e instanceof TimeLimit || e.getCause() instanceof TimeLimit) {
          throw new DocumentException("extraction exceeded the time limit");
        }
        if (!(e instanceof LimitReached) && !(e.getCause() instanceof LimitReached)) {
          throw new DocumentException("cannot extract (" + type + "): " + JsonlReader.describe(e), e);
        }
      }
      if (sink.truncated) {
        throw textTooLong(maxChars);
      }
      if (!parsedByAnExtractor(md)) {
        // No parser for the type (Tika fell back to its empty parser): the file may hold text or
        // images that nothing here can see, so it cannot be declared clean.
        throw new DocumentException("no text extractor for " + type.getBaseType() + "; its content cannot be checked"
            + (type.getSubtype().contains("parquet")
                ? " (Parquet tables: use hallmark-spark clean, which reads their rows)" : ""));
      }
      if (collector.tooDeep) {
        throw new DocumentException("embedded documents nested deeper than the limit of " + maxDepth
            + " levels; the inner ones cannot be checked");
      }
      if (collector.tooMany) {
        throw new DocumentException("more than " + maxResources + " embedded documents and images; the rest cannot be checked");
      }
      if (collector.tooLarge) {
        throw new DocumentException("embedded images exceed the limit of " + maxImageBytes + " bytes in total; the rest cannot be checked");
      }
      String text = sink.text();
      if (text.isBlank() && collector.images.isEmpty() && isPagedDocument(type)) {
        // A truncated or damaged PDF (or Office file) is parsed leniently into nothing: kept, it would
        // pass unchecked whatever its pages hold.
        throw new DocumentException("no text and no images extracted from this " + type.getBaseType()
            + " (damaged or truncated?); its content cannot be checked");
      }
      return new Extracted(type.toString(), text, List.copyOf(collector.images), false);
    } catch (ZeroByteFileException e) {
      throw new DocumentException("empty file");
    } catch (EncryptedDocumentException e) {
      throw new DocumentException("encrypted document: cannot extract its content");
    } catch (TikaException e) {
      if (sink.truncated) {
        throw textTooLong(maxChars);
      }
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        if (t.getCause() instanceof TimeLimit) {
          throw new DocumentException("extraction exceeded the time limit");
        }
        t = t.getCause();
      }
      String msg = t.getMessage() != null ? t.getMessage() : e.getMessage() != null ? e.getMessage() : t.getClass().getSimpleName();
      String type = md.get(Metadata.CONTENT_TYPE);
      throw new DocumentException("cannot extract" + (type == null ? "" : " " + type.split(";", 2)[0]) + ": "
          + msg.split("\n", 2)[0].trim(), e);
    } catch (IOException e) {
      throw new DocumentException("cannot read: " + JsonlReader.describe(e), e);
    }
  }

  /** The document's text, up to a limit, with a deadline. */
  private static final class Sink extends DefaultHandler {
    private final StringBuilder sb = new StringBuilder();
    private final int max;
    private final long deadline;
    boolean truncated;

    Sink(int max, long deadline) {
      this.max = max;
      this.deadline = deadline;
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
      check();
      int room = max - sb.length();
      if (length > room) {
        sb.append(ch, start, Math.max(0, room));
        truncated = true;
        throw new LimitReached();
      }
      sb.append(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
      characters(ch, start, length);
    }

    @Override
    public void startElement(String uri, String localName, String qName, org.xml.sax.Attributes atts) throws SAXException {
      check();
    }

    void check() throws TimeLimit {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeLimit();
      }
    }

    String text() {
      return sb.toString();
    }
  }

  private static final class LimitReached extends SAXException {
    private static final long serialVersionUID = 1L;

    LimitReached() {
      super("text limit reached");
    }
  }

  /** An entry may inflate to this many bytes before its compression ratio is judged. */
  static final long ZIP_GRACE_BYTES = 16L << 20;
  /** Inflated to compressed size above which (past the grace bytes) an entry is a decompression bomb. */
  static final long ZIP_MAX_RATIO = 100;
  /** All entries of one zip container together may inflate to at most this. */
  static final long ZIP_MAX_TOTAL = 1L << 30;

  /**
   * Zip containers (.docx/.xlsx/.pptx, OpenDocument, EPUB, .zip, .jar): before any parser sees one,
   * each entry is inflated once, counted and thrown away, so a zip bomb is refused by its real
   * inflated size, in bounded memory and in time proportional to the limits, instead of being parsed
   * until memory or the deadline runs out (#19: a zip-bomb .docx ran 89 s against the 60 s limit and
   * reached 6.4 GB). Declared sizes are not trusted. A container {@link ZipFile} cannot read is left
   * to the parser, which reports it.
   */
  private static void checkZipBomb(TikaInputStream tis, long deadlineNanos) throws IOException, DocumentException {
    byte[] head = new byte[4];
    tis.mark(4);
    int n = tis.readNBytes(head, 0, 4);
    tis.reset();
    if (n < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
      return;
    }
    java.nio.file.Path path = tis.getPath();
    long total = 0;
    byte[] buf = new byte[1 << 16];
    try (ZipFile z = new ZipFile(path.toFile())) {
      java.util.Enumeration<? extends ZipEntry> en = z.entries();
      while (en.hasMoreElements()) {
        ZipEntry e = en.nextElement();
        if (e.isDirectory()) {
          continue;
        }
        long compressed = Math.max(1, e.getCompressedSize());
        long allowed = Math.max(ZIP_GRACE_BYTES, compressed * ZIP_MAX_RATIO);
        long inflated = 0;
        try (InputStream in = z.getInputStream(e)) {
          int r;
          while ((r = in.read(buf)) > 0) {
            inflated += r;
            total += r;
            if (inflated > allowed) {
              throw new DocumentException("zip bomb: entry '" + printable(e.getName()) + "' exceeds the limit of "
                  + ZIP_MAX_RATIO + ":1 compression ratio (more than " + mb(inflated) + " inflated from " + mb(compressed)
                  + "); it was not parsed");
            }
            if (total > ZIP_MAX_TOTAL) {
              throw new DocumentException("zip bomb: its entries inflate to more than the limit of " + mb(ZIP_MAX_TOTAL)
                  + " in total; it was not parsed");
            }
            if (System.nanoTime() - deadlineNanos > 0) {
              throw new DocumentException("extraction exceeded the time limit");
            }
          }
        }
      }
    } catch (java.util.zip.ZipException e) {
      // Not a zip ZipFile can read (damaged, or a stream-only zip): the parser decides and reports.
    }
  }

  private static String mb(long bytes) {
    return bytes >= (1 << 20) ? (bytes >> 20) + " MB" : bytes >= 1024 ? (bytes >> 10) + " KB" : bytes + " bytes";
  }

  private static String printable(String s) {
    String t = s.replaceAll("\\p{Cntrl}", "?");
    return t.length() > 80 ? t.substring(0, 80) + "..." : t;
  }

  private static final class TimeLimit extends SAXException {
    private static final long serialVersionUID = 1L;

    TimeLimit() {
      super("time limit reached");
    }
  }

  /** Collects embedded images and parses other embedded documents into the same text, within limits. */
  private final class Collector implements EmbeddedDocumentExtractor {
    final List<EmbeddedImage> images = new ArrayList<>();
    private final ParseContext ctx;
    private final Sink sink;
    private int count;
    private int depth;
    boolean tooDeep;
    boolean tooMany;
    boolean tooLarge;
    private long imageBytes;

    Collector(ParseContext ctx, Sink sink) {
      this.ctx = ctx;
      this.sink = sink;
    }

    @Override
    public boolean shouldParseEmbedded(Metadata metadata) {
      return true;
    }

    @Override
    public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata md, boolean outputHtml)
        throws SAXException, IOException {
      sink.check();
      if (++count > maxResources) {
        tooMany = true;
        return;
      }
      if (depth >= maxDepth) {
        tooDeep = true;
        return;
      }
      TikaInputStream tis = TikaInputStream.get(CloseShieldInputStream.wrap(stream));
      MediaType type = parser.getDetector().detect(tis, md);
      if ("image".equals(type.getType()) && !isSvg(type)) {
        long room = maxImageBytes - imageBytes;
        byte[] b = tis.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, room + 1));
        if (b.length > room) {
          tooLarge = true;
          return;
        }
        if (b.length > 0) {
          imageBytes += b.length;
          String n = md.get(TikaCoreProperties.RESOURCE_NAME_KEY);
          images.add(new EmbeddedImage("embedded-" + count + (n == null ? "" : ":" + n), type.toString(), b));
        }
        return;
      }
      depth++;
      try {
        parser.parse(tis, new EmbeddedContentHandler(new BodyContentHandler(handler)), md, ctx);
      } catch (TikaException e) {
        // A broken attachment does not spoil its container: its text is simply missing.
      } finally {
        depth--;
      }
    }
  }
}
