package dev.hallmark.clean.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Expands the job's input arguments into input units, in a deterministic order. */
final class InputPlanner {
  private static final Pattern JSONL = Pattern.compile(".*\\.(jsonl|ndjson)(\\.(gz|zst|zstd|bz2|xz))?$");
  /**
   * WARC files, Common Crawl's WET text extracts ({@code .warc.wet.gz}) and WAT metadata files
   * ({@code .warc.wat.gz}) included: a WAT file is read as the WARC file it is, its metadata records
   * are counted as skipped, and the command says that it held no documents. ARC files ({@code .arc},
   * {@code .arc.gz}: the Internet Archive's format before WARC, Common Crawl's 2008-2012 crawls) are
   * read by the same reader.
   */
  private static final Pattern WARC = Pattern.compile(".*\\.(warc|wet|wat|arc)(\\.gz)?$");

  /**
   * JSON files, compressed or not: JSON Lines when their first line is a whole JSON object (C4's,
   * Dolma's and RedPajama's {@code *.json.gz} shards), the elements of an array when they start with
   * {@code [} (Alpaca-style instruction sets, dataset exports), otherwise one document for Tika.
   */
  private static final Pattern JSON = Pattern.compile(".*\\.json(\\.(gz|zst|zstd|bz2|xz))?$");
  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

  private InputPlanner() {}

  static List<InputUnit> plan(List<String> inputs, Path output) throws IOException {
    return plan(inputs, output, null, null);
  }

  /**
   * With {@code asJsonl} (may be null): files it accepts are JSONL units read through an opener. With
   * {@code ignore} (may be null): files inside folder inputs that it accepts are not inputs.
   */
  static List<InputUnit> plan(List<String> inputs, Path output, java.util.function.Predicate<Path> asJsonl,
      java.util.function.Predicate<Path> ignore) throws IOException {
    return plan(inputs, output, asJsonl, ignore, null);
  }

  /**
   * With {@code paths} (may be null, then {@link Path#of(String, String...)}): how an input argument
   * becomes a path, e.g. on another {@code java.nio.file} file system (a Hadoop one, for the Spark job).
   */
  static List<InputUnit> plan(List<String> inputs, Path output, java.util.function.Predicate<Path> asJsonl,
      java.util.function.Predicate<Path> ignore, java.util.function.Function<String, Path> paths) throws IOException {
    List<InputUnit> units = new ArrayList<>();
    Path out = output.toAbsolutePath().normalize();
    java.util.Map<Path, String> seen = new java.util.HashMap<>();
    for (String in : inputs) {
      if (in.equals("-")) {
        units.add(new InputUnit(units.size(), name(units.size(), "stdin"), in, InputUnit.Kind.JSONL, null, null, List.of(), -1));
        continue;
      }
      Path p;
      try {
        p = paths == null ? Path.of(in) : paths.apply(in);
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
      if (!Files.exists(p)) {
        throw new NoSuchFileException(in, null, "input not found");
      }
      Path abs = p.toAbsolutePath().normalize();
      if (abs.startsWith(out)) {
        throw new IllegalArgumentException(in + ": an input must not lie inside the output folder " + output);
      }
      // The same file or folder twice (mix.jsonl and ./mix.jsonl, a link to it): every document would
      // be checked and kept twice.
      Path real;
      try {
        real = p.toRealPath();
      } catch (IOException | UnsupportedOperationException e) {
        real = abs;
      }
      String before = seen.putIfAbsent(real, in);
      if (before != null) {
        throw new IllegalArgumentException(in + ": given twice (also as " + before + "); give each input once");
      }
      // A file or folder inside a folder also given (or the other way round): its documents would be
      // read, checked and kept twice.
      for (java.util.Map.Entry<Path, String> e : seen.entrySet()) {
        Path other = e.getKey();
        if (!other.equals(real) && (real.startsWith(other) || other.startsWith(real))) {
          boolean inside = real.startsWith(other);
          throw new IllegalArgumentException(in + ": " + (inside ? "lies inside" : "holds") + " the input " + e.getValue()
              + "; give each document once");
        }
      }
      if (Files.isDirectory(p)) {
        if (Files.isSymbolicLink(p)) {
          // A link the user names is followed (links found inside the folder are not: they could point
          // outside it); walking the link itself listed only the link, as one error document.
          p = p.toRealPath();
          if (p.toAbsolutePath().normalize().startsWith(out)) {
            throw new IllegalArgumentException(in + ": an input must not lie inside the output folder " + output);
          }
        }
        final Path root = p;
        List<Path> files = new ArrayList<>();
        // Earlier clean outputs inside the input (a folder with _state/job.json): their kept/ and
        // removed/ documents would be cleaned again as input. The folder itself is listed, so that the
        // files reader reports it once in errors/, and nothing under it is read.
        List<Path> outputs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
          s.filter(f -> f.getFileName() != null && f.getFileName().toString().equals("job.json")
                  && f.getParent() != null && f.getParent().getFileName() != null
                  && f.getParent().getFileName().toString().equals("_state") && f.getParent().getParent() != null
                  && !f.toAbsolutePath().normalize().startsWith(out))
              .forEach(f -> outputs.add(f.getParent().getParent()));
        }
        try (Stream<Path> s = Files.walk(root)) {
          // Everything but folders: symbolic links (never followed: one could point outside the input),
          // FIFOs and devices are listed so that the files reader reports them in errors/.
          s.filter(f -> !Files.isDirectory(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
              .filter(f -> !f.toAbsolutePath().normalize().startsWith(out))
              .filter(f -> outputs.stream().noneMatch(f::startsWith))
              .filter(f -> ignore == null || !ignore.test(f))
              .forEach(files::add);
        }
        files.addAll(outputs);
        files.sort(Comparator.comparing(f -> relative(root, f)));
        List<Path> others = new ArrayList<>();
        long otherBytes = 0;
        for (Path f : files) {
          boolean regular = Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS);
          InputUnit.Kind k = !regular ? InputUnit.Kind.FILES
              : asJsonl != null && asJsonl.test(f) ? InputUnit.Kind.JSONL : classify(f);
          if (k == InputUnit.Kind.FILES) {
            others.add(f);
            otherBytes += regular ? Files.size(f) : 0;
          } else {
            units.add(new InputUnit(units.size(), name(units.size(), relative(p, f)), f.toString(), k, f, p, List.of(), Files.size(f)));
          }
        }
        if (!others.isEmpty()) {
          units.add(new InputUnit(units.size(), name(units.size(), p.getFileName() == null ? "root" : p.getFileName().toString()),
              in, InputUnit.Kind.FILES, null, p, List.copyOf(others), otherBytes));
        }
      } else {
        InputUnit.Kind k = asJsonl != null && asJsonl.test(p) ? InputUnit.Kind.JSONL : classify(p);
        Path root = p.toAbsolutePath().getParent();
        units.add(new InputUnit(units.size(), name(units.size(), p.getFileName().toString()), in, k,
            k == InputUnit.Kind.FILES ? null : p, root, k == InputUnit.Kind.FILES ? List.of(p.toAbsolutePath()) : List.of(), Files.size(p)));
      }
    }
    return units;
  }

  static InputUnit.Kind classify(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    if (JSONL.matcher(n).matches()) {
      return InputUnit.Kind.JSONL;
    }
    if (WARC.matcher(n).matches()) {
      return InputUnit.Kind.WARC;
    }
    if (JSON.matcher(n).matches()) {
      return jsonKind(f);
    }
    if (ArchiveUnitReader.NAME.matcher(n).matches()) {
      return InputUnit.Kind.ARCHIVE;
    }
    return InputUnit.Kind.FILES;
  }

  /**
   * How a {@code .json} file is read, from one look at its start (decompressed, after a byte order
   * mark): JSON Lines when its first line is a whole JSON object, the elements of an array when its
   * first non-blank character is {@code [}, otherwise one document for Tika (a pretty-printed object,
   * an unreadable file: Tika reports what it can). At most 1 MiB is read.
   */
  static InputUnit.Kind jsonKind(Path f) {
    try (java.io.BufferedInputStream b = new java.io.BufferedInputStream(Files.newInputStream(f), 1 << 16);
        java.io.InputStream in = Compression.sniff(b).decode(b)) {
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        if (line.size() >= 1 << 20) {
          return InputUnit.Kind.FILES;
        }
        line.write(c);
      }
      byte[] l = line.toByteArray();
      int start = l.length >= 3 && (l[0] & 0xff) == 0xef && (l[1] & 0xff) == 0xbb && (l[2] & 0xff) == 0xbf ? 3 : 0;
      String text = new String(l, start, l.length - start, java.nio.charset.StandardCharsets.UTF_8).strip();
      if (text.startsWith("{")) {
        return MAPPER.readTree(text).isObject() ? InputUnit.Kind.JSONL : InputUnit.Kind.FILES;
      }
      if (!text.isEmpty()) {
        return text.startsWith("[") ? InputUnit.Kind.JSON_ARRAY : InputUnit.Kind.FILES;
      }
      // A blank first line: the first non-blank character decides.
      for (int n = l.length; c >= 0 && n < 1 << 20; n++) {
        c = in.read();
        if (c == '[') {
          return InputUnit.Kind.JSON_ARRAY;
        }
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
          return InputUnit.Kind.FILES;
        }
      }
      return InputUnit.Kind.FILES;
    } catch (IOException | RuntimeException e) {
      return InputUnit.Kind.FILES; // unreadable or not JSON: Tika reports what it can
    }
  }

  static String relative(Path root, Path f) {
    Path r = root.toAbsolutePath().normalize().relativize(f.toAbsolutePath().normalize());
    return r.toString().replace('\\', '/');
  }

  private static String name(int index, String hint) {
    String base = hint.replaceAll("(\\.(jsonl|ndjson|json|warc|arc)(\\.(gz|zst|zstd|bz2|xz))?|(\\.warc)?\\.(wet|wat)(\\.gz)?)$", "");
    base = base.replaceAll("[^A-Za-z0-9._-]+", "_");
    if (base.length() > 60) {
      base = base.substring(0, 60);
    }
    return String.format(Locale.ROOT, "%03d-%s", index, base.isEmpty() ? "input" : base);
  }
}
