package dev.hallmark.spark.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A Parquet file read as JSON lines, one per row, so that the clean pipeline treats it as a JSONL
 * input: each line holds the row's top-level primitive columns (strings, numbers, booleans; nulls and
 * nested columns are left out), in schema order. A file that cannot be read ends the stream with an
 * {@link IOException}, which the pipeline records in errors/ like a truncated JSONL file.
 */
public final class ParquetLines extends InputStream {
  private static final JsonFactory JSON = new JsonFactory();
  private final ParquetReader<Group> reader;
  private byte[] buf = new byte[0];
  private int pos;
  private boolean done;

  private ParquetLines(ParquetReader<Group> reader) {
    this.reader = reader;
  }

  public static boolean isParquet(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
  }

  /** Files a Hadoop or Spark writer leaves beside its data: {@code _SUCCESS}, {@code _*} metadata, {@code .*.crc}. */
  public static boolean isBookkeeping(Path p) {
    String n = p.getFileName().toString();
    return n.startsWith("_") || (n.startsWith(".") && n.endsWith(".crc"));
  }

  /** Opens a local file, or a file on a Hadoop file system (a path of {@code HadoopInputs}) with its configuration. */
  public static InputStream open(Path file) throws IOException {
    org.apache.hadoop.fs.Path hp = dev.hallmark.spark.internal.hadoop.HadoopInputs.hadoopPath(file);
    Configuration conf = dev.hallmark.spark.internal.hadoop.HadoopInputs.confOf(file);
    return new ParquetLines(ParquetReader.builder(new GroupReadSupport(), hp).withConf(conf != null ? conf : new Configuration()).build());
  }

  private boolean fill() throws IOException {
    while (pos >= buf.length) {
      if (done) {
        return false;
      }
      Group g;
      try {
        g = reader.read();
      } catch (RuntimeException e) {
        throw new IOException("corrupt Parquet data: " + e.getMessage(), e);
      }
      if (g == null) {
        done = true;
        return false;
      }
      buf = line(g);
      pos = 0;
    }
    return true;
  }

  static byte[] line(Group g) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(1024);
    try (JsonGenerator j = JSON.createGenerator(b, JsonEncoding.UTF8)) {
      j.writeStartObject();
      GroupType t = g.getType();
      for (int f = 0; f < t.getFieldCount(); f++) {
        Type ft = t.getType(f);
        if (!ft.isPrimitive() || ft.isRepetition(Type.Repetition.REPEATED) || g.getFieldRepetitionCount(f) == 0) {
          continue;
        }
        PrimitiveType p = ft.asPrimitiveType();
        String name = ft.getName();
        switch (p.getPrimitiveTypeName()) {
          case BINARY:
            if (p.getLogicalTypeAnnotation() instanceof org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
              j.writeStringField(name, g.getString(f, 0));
            }
            break;
          case INT32:
            j.writeNumberField(name, g.getInteger(f, 0));
            break;
          case INT64:
            j.writeNumberField(name, g.getLong(f, 0));
            break;
          case FLOAT:
            j.writeNumberField(name, g.getFloat(f, 0));
            break;
          case DOUBLE:
            j.writeNumberField(name, g.getDouble(f, 0));
            break;
          case BOOLEAN:
            j.writeBooleanField(name, g.getBoolean(f, 0));
            break;
          default:
            break;
        }
      }
      j.writeEndObject();
    }
    b.write('\n');
    return b.toByteArray();
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, buf.length - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
