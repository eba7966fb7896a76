package dev.hallmark.benchmarks.image;

import dev.hallmark.benchmarks.clean.CleanBenchmark;
import dev.hallmark.benchmarks.image.Attacks.Attack;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageWatermarker;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.image.Images;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Regression dump of the image watermark: one line per embedding and per detection over the Kodak
 * photos and every edit of {@link ImageAttackSuite}, plus the unwatermarked and other-key trials
 * and the 2-key half-size search of the clean benchmark. Diff the output of two builds to show that
 * an optimisation changed no decision, payload or score (p-value to 6 significant digits, sync score
 * to 6 decimals; {@code --precise} prints both to 17 digits to measure rounding differences); the
 * average detection CPU time goes to stderr.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.image.ImageDetectionDump [--precise] [FOLDER] &gt; dump.txt</pre>
 */
public final class ImageDetectionDump {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static long cpu;
  private static int calls;
  private static boolean precise;

  private ImageDetectionDump() {}

  public static void main(String[] args) throws Exception {
    String shared = System.getProperty("hallmark.shared.testdata", "../shared/testdata");
    if (args.length > 0 && args[0].equals("--precise")) {
      precise = true;
      args = java.util.Arrays.copyOfRange(args, 1, args.length);
    }
    List<Path> files = Attacks.photos(args.length > 0 ? Path.of(args[0]) : Path.of(shared, "images", "kodak"),
        "image detection dump");
    long seed = 20261125L;
    Random rnd = new Random(seed);
    WatermarkKey key = WatermarkKey.generate("bench", rnd);
    WatermarkKey other = WatermarkKey.generate("other", rnd);
    ImageWatermarker wm = ImageWatermarks.newWatermarker();
    List<Attack> attacks = ImageAttackSuite.attacks(seed);
    for (Path f : files) {
      String name = f.getFileName().toString();
      BufferedImage img = Images.read(f);
      byte[] payload = new byte[8];
      rnd.nextBytes(payload);
      BufferedImage marked = wm.embed(img, key, payload);
      System.out.println(name + " embed " + sha256(marked));
      for (Attack at : attacks) {
        BufferedImage edited = at.op().apply(marked);
        print(name, at.name() + " [key]", detect(wm, edited, List.of(key)));
        print(name, at.name() + " [other,key]", detect(wm, edited, List.of(other, key)));
        String n = at.name();
        if (n.equals("none") || n.startsWith("JPEG 50") || n.startsWith("resize 0.5") || n.startsWith("screenshot")) {
          print(name, at.name() + " unmarked [key]", detect(wm, at.op().apply(img), List.of(key)));
          print(name, at.name() + " [other]", detect(wm, edited, List.of(other)));
        }
      }
      print(name, "half unmarked [key,other] 5e-7", detect(wm, CleanBenchmark.half(img), List.of(key, other)));
      print(name, "half marked [key,other] 5e-7", detect(wm, CleanBenchmark.half(marked), List.of(key, other)));
    }
    System.err.printf(Locale.ROOT, "%d detections, %.1f ms CPU each on average%n", calls, cpu / 1e6 / calls);
  }

  private static ImageDetection detect(ImageWatermarker wm, BufferedImage img, List<WatermarkKey> keys) throws Exception {
    long t0 = MX.getCurrentThreadCpuTime();
    ImageDetection d = wm.detect(img, keys, keys.size() == 2 ? 5e-7 : ImageAttackSuite.ALPHA);
    cpu += MX.getCurrentThreadCpuTime() - t0;
    calls++;
    return d;
  }

  private static void print(String photo, String what, ImageDetection d) {
    System.out.printf(Locale.ROOT, "%s | %s | det=%s key=%s valid=%s payload=%s raw=%s p=%." + (precise ? "17" : "6")
        + "g z=%." + (precise ? "17" : "6") + "f scale=%.6f rot=%.2f coded_err=%d geometries=%d%n", photo, what, d.detected(), d.keyId(), d.payloadValid(), hex(d.payload()),
        hex(d.rawPayload()), d.pValue(), d.syncScore(), d.scale(), d.rotationDegrees(), d.codedBitErrors(),
        d.geometriesSearched());
  }

  private static String hex(byte[] b) {
    return b == null ? "-" : HexFormat.of().formatHex(b);
  }

  private static String sha256(BufferedImage img) throws Exception {
    int[] rgb = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    ByteBuffer bb = ByteBuffer.allocate(rgb.length * 4);
    bb.asIntBuffer().put(rgb);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bb.array())).substring(0, 16);
  }
}
