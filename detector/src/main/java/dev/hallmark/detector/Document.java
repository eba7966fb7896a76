package dev.hallmark.detector;

import java.util.List;
import java.util.Objects;

/**
 * One corpus document as the detector sees it: extracted text plus its images.
 *
 * @param id the document id (the JSONL id field, the WARC record id, or the file's relative path)
 * @param input the input it came from (a path as given on the command line, or {@code -} for stdin)
 * @param location where in the input: {@code line 12}, {@code offset 3456}, or a relative path
 * @param text the extracted text (may be empty, e.g. for a standalone image)
 * @param images standalone or embedded images, in document order
 */
public record Document(String id, String input, String location, String text, List<EmbeddedImage> images) {
  public Document {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(text, "text");
    images = List.copyOf(images);
  }

  /** A text-only document. */
  public static Document ofText(String id, String input, String location, String text) {
    return new Document(id, input, location, text, List.of());
  }
}
