package dev.hallmark.clean.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The members of a ZIP or tar archive (tar plain or compressed with gzip, zstd, bzip2 or xz, detected
 * from the magic bytes), each one document, in the archive's order: a zip in the physical order of its
 * entries (as listed by its central directory), a tar in stream order. Before this reader an archive was
 * one Tika document, so one tagged page removed a whole archive of human pages with it.
 *
 * <ul>
 *   <li>A document's location is the member's path inside the archive, its id the same; its size is the
 *       member's declared (uncompressed) size, read in full only up to the document limit, and its
 *       resume check the member's CRC-32 (zip) or modification time (tar). A member whose data does not
 *       have its declared size is an error.
 *   <li>Folders are passed over; links, devices and FIFOs are counted as skipped.
 *   <li>Members that are themselves corpora (JSON Lines, WARC, or another archive) are not cleaned
 *       inside the archive: each is one error that says to unpack the archive and clean the folder, rather
 *       than one document that a single tagged line would remove whole.
 *   <li>Encrypted members, and compression methods the library cannot read, are one error each.
 *   <li>An archive that cannot be opened at all (not a zip, a truncated tar stream) ends with one error.
 * </ul>
 * Documents and sizes do not depend on {@code skip}, so a resumed run cuts the same shards.
 */
final class ArchiveUnitReader implements UnitReader {
  /** Archive names: {@code .zip}, {@code .tar} and compressed tars. */
  static final Pattern NAME = Pattern.compile(".*\\.(zip|tar|tgz|tbz2?|txz|tzst|tar\\.(gz|zst|zstd|bz2|xz))$");
  /** Members that are corpora of their own, not single documents. */
  private static final Pattern NESTED = Pattern.compile(
      ".*\\.(jsonl|ndjson|json|warc|wet|wat|arc)(\\.(gz|zst|zstd|bz2|xz))?$|" + NAME.pattern());

  private final String name;
  private final long maxBytes;
  private final Path path;
  private boolean done;
  private long skipped;
  private String openError;
  private boolean zipFormat;
  /** Members returned so far (to tell an unreadable archive from one damaged part way). */
  private long members;
  // zip
  private ZipFile zip;
  private Enumeration<ZipArchiveEntry> zipEntries;
  private long zipPosition;
  // tar
  /** Compressed bytes of a tar read so far. */
  private final java.util.concurrent.atomic.AtomicLong tarRead = new java.util.concurrent.atomic.AtomicLong();
  private CountingStream tarCount;
  private InputStream decoded;
  private TarArchiveInputStream tar;
  private long fileSize;

  ArchiveUnitReader(Path path, String name, long maxBytes) {
    this.path = path;
    this.name = name;
    this.maxBytes = maxBytes;
    try {
      fileSize = Files.size(path);
      zipFormat = isZip(path);
      if (zipFormat) {
        SeekableByteChannel ch = Files.newByteChannel(path);
        try {
          zip = ZipFile.builder().setSeekableByteChannel(ch).get();
        } catch (IOException | RuntimeException e) {
          ch.close();
          // The members are listed at the end of a zip file (its central directory); without it
          // nothing can be located for certain.
          throw new IOException("its central directory, the list of members at the end of the file, cannot be read ("
              + e.getMessage() + "); the file is probably truncated: check its size against the original", e);
        }
        zipEntries = zip.getEntriesInPhysicalOrder();
      } else if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
        zipFormat = true;
        openError = "it does not start with a zip header";
      } else {
        tarCount = new CountingStream(Files.newInputStream(path), tarRead);
        BufferedInputStream b = new BufferedInputStream(tarCount, 1 << 16);
        BufferedInputStream decoded = new BufferedInputStream(Compression.sniff(b).decode(b), 1 << 16);
        decoded.mark(512);
        byte[] head = decoded.readNBytes(512);
        decoded.reset();
        boolean zeros = true;
        for (byte x : head) {
          zeros &= x == 0;
        }
        if (!zeros && (head.length < 512 || !tarHeader(head))) {
          // The tar reader takes a short or foreign file for an empty archive: it would give no documents and no error.
          openError = "its first block is not a tar header";
        }
        this.decoded = decoded;
        tar = new TarArchiveInputStream(decoded);
      }
    } catch (IOException | RuntimeException e) {
      openError = JsonlReader.describe(e);
    }
    if (openError != null) {
      close();
    }
  }

  /** True when {@code block} is a tar header block (its checksum holds; a foreign file's bytes may not even parse). */
  private static boolean tarHeader(byte[] block) {
    try {
      return TarUtils.verifyCheckSum(block);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** True when the file starts like a zip (a local file header, or an empty archive's end record). */
  private static boolean isZip(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      byte[] b = in.readNBytes(4);
      return b.length == 4 && b[0] == 'P' && b[1] == 'K' && ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6)
          || (b[2] == 7 && b[3] == 8));
    }
  }

  /** Compressed bytes read so far (for progress). */
  long position() {
    return zip != null ? zipPosition : tarRead.get();
  }

  @Override
  public RawDoc next(boolean skip) {
    if (done) {
      return null;
    }
    if (openError != null) {
      done = true;
      return RawDoc.error("(archive)", null, name + ": not a readable " + kind() + " archive: " + openError
          + "; check the file (or unpack it and clean the folder)", 0);
    }
    try {
      RawDoc d = zip != null ? nextZip(skip) : nextTar(skip);
      if (d != null) {
        members++;
      }
      return d;
    } catch (IOException | RuntimeException e) {
      // A damaged stream: nothing after this point can be delimited.
      done = true;
      if (members == 0) {
        return RawDoc.error("(archive)", null, name + ": not a readable " + kind() + " archive: " + JsonlReader.describe(e)
            + "; check the file (or unpack it and clean the folder)", 0);
      }
      return RawDoc.error("(archive)", null, name + ": the " + kind() + " archive is damaged after member " + members + ": "
          + JsonlReader.describe(e) + "; the members before it were read", 0);
    }
  }

  private String kind() {
    return zipFormat ? "zip" : "tar";
  }

  private RawDoc nextZip(boolean skip) throws IOException {
    while (zipEntries.hasMoreElements()) {
      ZipArchiveEntry e = zipEntries.nextElement();
      String loc = e.getName();
      long size = Math.max(0, e.getSize());
      zipPosition = Math.max(zipPosition, e.getLocalHeaderOffset() + Math.max(0, e.getCompressedSize()));
      if (e.isDirectory() && e.getSize() == 0) {
        continue; // a folder (a name ending in '/' that holds data is read like any member: it could hide one)
      }
      if (e.isUnixSymlink()) {
        skipped++;
        continue;
      }
      long check = e.getCrc();
      if (skip) {
        return RawDoc.skipped(loc, size, check);
      }
      RawDoc problem = problem(loc, size);
      if (problem != null) {
        return problem.checked(check);
      }
      if (!zip.canReadEntryData(e)) {
        return RawDoc.error(loc, loc, "member is encrypted or uses a compression method that cannot be read ("
            + e.getMethod() + "): not checked", size).checked(check);
      }
      try (InputStream in = zip.getInputStream(e)) {
        RawDoc d = read(in, loc, size);
        if (d.data != null && e.getCrc() != -1) {
          java.util.zip.CRC32 c = new java.util.zip.CRC32();
          c.update(d.data);
          if (c.getValue() != e.getCrc()) {
            // The zip reader does not check it: a damaged member would be cleaned as if whole.
            return RawDoc.error(loc, loc, "member is damaged: its data does not match its CRC-32", size).checked(check);
          }
        }
        return d.checked(check);
      }
    }
    done = true;
    zipPosition = fileSize; // the central directory is read too
    return null;
  }

  private RawDoc nextTar(boolean skip) throws IOException {
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      if (e.isDirectory()) {
        continue;
      }
      if (e.isSymbolicLink() || e.isLink() || e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO() || !e.isFile()) {
        skipped++; // links, devices, FIFOs
        continue;
      }
      String loc = e.getName();
      long size = e.getSize();
      long check = e.getLastModifiedTime() == null ? 0 : e.getLastModifiedTime().toMillis();
      if (skip) {
        return RawDoc.skipped(loc, size, check);
      }
      RawDoc problem = problem(loc, size);
      if (problem != null) {
        return problem.checked(check);
      }
      return read(tar, loc, size).checked(check);
    }
    // The tar's end blocks come before the compressor's own end (gzip's CRC and length, zstd's frame
    // end): read to the end of the stream so that a truncated or damaged file is noticed.
    byte[] sink = new byte[1 << 14];
    while (decoded.read(sink) >= 0) {
      // nothing: only the decompressor's checks matter
    }
    done = true;
    return null;
  }

  /** The error a member is before its data is read, or null. */
  private RawDoc problem(String loc, long size) {
    String lower = loc.toLowerCase(Locale.ROOT);
    if (NESTED.matcher(lower).matches()) {
      return RawDoc.error(loc, loc, "a corpus file inside an archive (JSON Lines, WARC or another archive) is not cleaned"
          + " as one document: unpack the archive and clean the folder", size);
    }
    if (size > maxBytes) {
      return RawDoc.error(loc, loc, "member is larger than the limit of " + maxBytes + " bytes", size);
    }
    return null;
  }

  private RawDoc read(InputStream in, String loc, long size) throws IOException {
    byte[] data = in.readNBytes((int) Math.min(size + 1, Integer.MAX_VALUE - 8));
    if (data.length != size) {
      return RawDoc.error(loc, loc, "member is damaged: it declares " + size + " bytes and holds "
          + (data.length > size ? "more" : String.valueOf(data.length)), size);
    }
    return RawDoc.bytes(loc, loc, data, null, size);
  }

  @Override
  public long takeSkipped() {
    long s = skipped;
    skipped = 0;
    return s;
  }

  @Override
  public void close() {
    try {
      if (zip != null) {
        zip.close();
      }
      if (tar != null) {
        tar.close();
      } else if (tarCount != null) {
        tarCount.close();
      }
    } catch (IOException ignored) {
      // Read-only input: nothing to lose.
    }
  }
}
