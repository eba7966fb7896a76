package dev.hallmark.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.CliRun;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.watermark.image.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommandTest {
  @TempDir Path tmp;
  Path home;
  Path photo;

  @BeforeEach
  void setUp() throws Exception {
    home = tmp.resolve("home");
    assertEquals(0, CliRun.run(home, "--home", home.toString(), "keys", "new", "--type", "watermark", "--name", "alice").exitCode);
    assertEquals(0, CliRun.run(home, "--home", home.toString(), "keys", "new", "--type", "watermark", "--name", "bob").exitCode);
    // A real photo (Kodak kodim23, see watermark/src/test/resources/images/README.md), shared with the
    // watermark module's tests rather than copied a second time.
    photo = tmp.resolve("photo.png");
    Files.copy(Path.of(System.getProperty("basedir", "."), "..", "watermark", "src", "test", "resources", "images",
        "kodim23.png"), photo);
  }

  CliRun run(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "--home";
    full[1] = home.toString();
    System.arraycopy(args, 0, full, 2, args.length);
    return CliRun.run(home, full);
  }

  /** A PNG with transparent pixels written as JPEG loses them onto white: embed said nothing. */
  @Test
  void transparencyLostToJpegIsAWarning() throws Exception {
    java.awt.image.BufferedImage src = javax.imageio.ImageIO.read(photo.toFile());
    java.awt.image.BufferedImage argb = new java.awt.image.BufferedImage(src.getWidth(), src.getHeight(),
        java.awt.image.BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        argb.setRGB(x, y, (x < 40 ? 0x00000000 : 0xff000000) | (src.getRGB(x, y) & 0xffffff));
      }
    }
    Path clear = tmp.resolve("clear.png");
    javax.imageio.ImageIO.write(argb, "png", clear.toFile());
    CliRun j = run("image", "embed", "--key", "alice", clear.toString(), tmp.resolve("clear.jpg").toString());
    assertEquals(0, j.exitCode, j.toString());
    assertTrue(j.err.contains("has transparent pixels and JPEG has no transparency"), j.err);
    CliRun p = run("image", "embed", "--key", "alice", clear.toString(), tmp.resolve("clear-out.png").toString());
    assertEquals(0, p.exitCode, p.toString());
    assertTrue(!p.err.contains("transparent"), p.err);
    CliRun opaque = run("image", "embed", "--key", "alice", photo.toString(), tmp.resolve("opaque.jpg").toString());
    assertTrue(!opaque.err.contains("transparent"), opaque.err);
  }

  @Test
  void embedThenDetectReportsKeyAndPayload() throws Exception {
    Path out = tmp.resolve("marked.png");
    CliRun e = run("image", "embed", "--key", "alice", "--payload", "0123456789abcdef", photo.toString(), out.toString());
    assertEquals(ExitCodes.OK, e.exitCode, e.toString());
    CliRun d = run("image", "detect", "--json", out.toString());
    assertEquals(ExitCodes.OK, d.exitCode, d.toString());
    JsonNode j = new ObjectMapper().readTree(d.out);
    assertTrue(j.get("detected").asBoolean());
    assertTrue(j.get("pValue").asDouble() <= 1e-6);
    assertEquals("alice", j.get("keyName").asText());
    assertEquals("0123456789abcdef", j.get("payload").asText());
    assertTrue(j.get("payloadValid").asBoolean());
    assertEquals(2, j.get("keysTried").asInt());
    assertFalse(j.get("keyId").isNull());

    CliRun text = run("image", "detect", "--key", "alice", out.toString());
    assertEquals(ExitCodes.OK, text.exitCode, text.toString());
    assertTrue(text.out.contains("payload 0123456789abcdef"), text.out);
  }

  @Test
  void embedKeepsTheColourProfileAndReportsIt() throws Exception {
    // The photo as a JPEG tagged with Java's linear-RGB profile (APP2), its samples untouched.
    BufferedImage img = ImageIO.read(photo.toFile());
    java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", bos);
    byte[] jpeg = bos.toByteArray();
    byte[] icc = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData();
    java.io.ByteArrayOutputStream tagged = new java.io.ByteArrayOutputStream();
    tagged.write(jpeg, 0, 2);
    byte[] id = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    int len = 2 + id.length + 2 + icc.length;
    tagged.write(0xff);
    tagged.write(0xe2);
    tagged.write(len >>> 8);
    tagged.write(len & 0xff);
    tagged.writeBytes(id);
    tagged.write(1);
    tagged.write(1);
    tagged.writeBytes(icc);
    tagged.write(jpeg, 2, jpeg.length - 2);
    Path in = tmp.resolve("linear.jpg");
    Files.write(in, tagged.toByteArray());
    Path out = tmp.resolve("linear-marked.jpg");
    CliRun e = run("image", "embed", "--key", "alice", "--json", in.toString(), out.toString());
    assertEquals(ExitCodes.OK, e.exitCode, e.toString());
    JsonNode j = new ObjectMapper().readTree(e.out);
    assertEquals("linear sRGB", j.get("colourProfile").asText(), e.out);
    assertEquals(8, j.get("bitDepth").asInt());
    assertTrue(Arrays.equals(icc, dev.hallmark.watermark.image.Images.readFile(out).iccProfile()), "profile kept");
    CliRun d = run("image", "detect", "--key", "alice", "--json", out.toString());
    assertEquals(ExitCodes.OK, d.exitCode, d.toString());
    JsonNode dj = new ObjectMapper().readTree(d.out);
    assertFalse(dj.get("mirrored").asBoolean());
    assertEquals(4, dj.get("transform").size());
    assertTrue(dj.get("outline").isNull(), d.out);
  }

  /** A slanted picture on a black canvas (an editor's perspective or shear tool): its outline is traced and reported. */
  @Test
  void detectReportsTheOutlineOfASlantedPicture() throws Exception {
    Path marked = tmp.resolve("marked.png");
    assertEquals(0, run("image", "embed", "--key", "alice", photo.toString(), marked.toString()).exitCode);
    java.awt.image.BufferedImage m = javax.imageio.ImageIO.read(marked.toFile());
    int w = m.getWidth();
    int h = m.getHeight();
    java.awt.image.BufferedImage slanted = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = slanted.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    // x' = 0.9 x + 0.06 y + 20, y' = -0.04 x + 0.9 y + 45: a parallelogram inside the canvas.
    g.drawImage(m, new java.awt.geom.AffineTransform(0.9, -0.04, 0.06, 0.9, 20, 45), null);
    g.dispose();
    Path edited = tmp.resolve("slanted.png");
    javax.imageio.ImageIO.write(slanted, "png", edited.toFile());
    CliRun d = run("image", "detect", "--key", "alice", "--json", edited.toString());
    assertEquals(ExitCodes.OK, d.exitCode, d.toString());
    JsonNode j = new ObjectMapper().readTree(d.out);
    JsonNode outline = j.get("outline");
    assertEquals(4, outline.size(), d.out);
    // The top-left corner of the picture: (20, 45), to within the half pixel of Java2D's pixel edges.
    assertEquals(20, outline.get(0).get(0).asDouble(), 1.5, d.out);
    assertEquals(45, outline.get(0).get(1).asDouble(), 1.5, d.out);
    assertEquals(0.9, j.get("transform").get(0).asDouble(), 0.01, d.out);
    CliRun text = run("image", "detect", "--key", "alice", edited.toString());
    assertTrue(text.out.contains("perspective edit undone: the original's corners are at (19.5, 44.5)"), text.out);
  }

  @Test
  void psnrSetsTheStrength() throws Exception {
    Path plain = tmp.resolve("plain.png");
    Path strong = tmp.resolve("strong.png");
    assertEquals(0, run("image", "embed", "--key", "alice", photo.toString(), plain.toString()).exitCode);
    CliRun e = run("image", "embed", "--key", "alice", "--psnr", "37", "--json", photo.toString(), strong.toString());
    assertEquals(ExitCodes.OK, e.exitCode, e.toString());
    JsonNode ej = new ObjectMapper().readTree(e.out);
    assertEquals(37.0, ej.get("targetPsnrDb").asDouble());
    double plainDb = Images.psnr(Images.read(photo), Images.read(plain));
    double strongDb = Images.psnr(Images.read(photo), Images.read(strong));
    // The scale is set on the luminance change before rounding to 8 bits, so the measured PSNR is a
    // little under the target; each must land near its own target, 3.5 dB apart.
    assertTrue(plainDb > 39.8 && plainDb < 40.8, "default: " + plainDb);
    assertTrue(strongDb > 36.3 && strongDb < 37.3, "--psnr 37: " + strongDb);
    // The JSON's psnrDb is the same measure on the samples (the output is a lossless PNG).
    assertEquals(strongDb, ej.get("psnrDb").asDouble(), 0.01, e.out);
    CliRun d = run("image", "detect", "--key", "alice", "--json", strong.toString());
    assertEquals(ExitCodes.OK, d.exitCode, d.toString());
    assertEquals("0000000000000000", new ObjectMapper().readTree(d.out).get("payload").asText());

    Path none = tmp.resolve("none.png");
    CliRun bad = run("image", "embed", "--key", "alice", "--psnr", "20", photo.toString(), none.toString());
    assertEquals(ExitCodes.USAGE, bad.exitCode, bad.toString());
    assertTrue(bad.err.contains("--psnr must be 34-50 dB"), bad.err);
    assertFalse(Files.exists(none));
    // 'serve' takes the same option for its tagging endpoint and checks it before it starts.
    CliRun serve = run("serve", "--port", "0", "--psnr", "99");
    assertEquals(ExitCodes.USAGE, serve.exitCode, serve.toString());
    assertTrue(serve.err.contains("--psnr must be 34-50 dB"), serve.err);
  }


  @Test
  void aMultiFrameInputIsSaidToLoseItsOtherFrames() throws Exception {
    // An animated GIF or a multi-page TIFF was marked as its first frame alone, without a word.
    java.awt.image.BufferedImage src = javax.imageio.ImageIO.read(photo.toFile());
    java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(src.getWidth(), src.getHeight(),
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(src, 0, 0, null);
    Path gif = tmp.resolve("anim.gif");
    javax.imageio.ImageWriter w = javax.imageio.ImageIO.getImageWritersByFormatName("gif").next();
    try (javax.imageio.stream.ImageOutputStream o = javax.imageio.ImageIO.createImageOutputStream(gif.toFile())) {
      w.setOutput(o);
      w.prepareWriteSequence(null);
      for (int i = 0; i < 3; i++) {
        w.writeToSequence(new javax.imageio.IIOImage(rgb, null, null), null);
      }
      w.endWriteSequence();
    } finally {
      w.dispose();
    }
    Path out = tmp.resolve("anim-marked.png");
    CliRun e = run("image", "embed", "--key", "alice", gif.toString(), out.toString());
    assertEquals(ExitCodes.OK, e.exitCode, e.toString());
    assertTrue(e.err.contains("warning: " + gif + " holds 3 frames or pages; only the first is watermarked"), e.err);
    CliRun single = run("image", "embed", "--key", "alice", photo.toString(), tmp.resolve("single.png").toString());
    assertFalse(single.err.contains("warning"), single.err);
  }

  @Test
  void jpegOutputWithQualityStillDetects() throws Exception {
    Path out = tmp.resolve("marked.jpg");
    CliRun e = run("image", "embed", "--key", "bob", "--quality", "75", photo.toString(), out.toString());
    assertEquals(ExitCodes.OK, e.exitCode, e.toString());
    CliRun d = run("image", "detect", "--key", "bob", "--json", out.toString());
    assertEquals(ExitCodes.OK, d.exitCode, d.toString());
    assertEquals("0000000000000000", new ObjectMapper().readTree(d.out).get("payload").asText());
  }

  @Test
  void unwatermarkedAndWrongKeyExitOne() throws Exception {
    CliRun d = run("image", "detect", "--json", photo.toString());
    assertEquals(ExitCodes.NEGATIVE, d.exitCode, d.toString());
    JsonNode j = new ObjectMapper().readTree(d.out);
    assertFalse(j.get("detected").asBoolean());
    assertTrue(j.get("keyId").isNull());
    assertTrue(j.get("payload").isNull());
    Path out = tmp.resolve("m.png");
    assertEquals(0, run("image", "embed", "--key", "alice", photo.toString(), out.toString()).exitCode);
    CliRun wrong = run("image", "detect", "--key", "bob", out.toString());
    assertEquals(ExitCodes.NEGATIVE, wrong.exitCode, wrong.toString());
    assertTrue(wrong.out.contains("no watermark detected"), wrong.out);
  }

  @Test
  void fingerprintPrintsHashAndCompares() throws Exception {
    CliRun f = run("image", "fingerprint", "--json", photo.toString());
    assertEquals(ExitCodes.OK, f.exitCode, f.toString());
    JsonNode j = new ObjectMapper().readTree(f.out);
    assertTrue(j.get("hash").asText().matches("[0-9a-f]{64}"));
    Path jpg = tmp.resolve("p.jpg");
    assertEquals(0, run("image", "embed", "--key", "alice", photo.toString(), jpg.toString()).exitCode);
    CliRun c = run("image", "fingerprint", "--compare", jpg.toString(), photo.toString());
    CliRun other = run("image", "fingerprint", "--json", "--compare", small().toString(), photo.toString());
    assertFalse(new ObjectMapper().readTree(other.out).get("match").asBoolean(), other.out);
    assertEquals(ExitCodes.OK, c.exitCode, c.toString());
    assertTrue(c.out.contains("(match;"), c.out);
  }

  Path small() throws Exception {
    Path small = tmp.resolve("small.png");
    BufferedImage img = new BufferedImage(100, 90, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 100; x++) {
      for (int y = 0; y < 90; y++) {
        img.setRGB(x, y, ((x / 10 + y / 15) % 2) * 0xffffff);
      }
    }
    ImageIO.write(img, "png", small.toFile());
    return small;
  }

  @Test
  void collageReportsRegionsPerKeyAndDrawsTheOverlay() throws Exception {
    Path a = tmp.resolve("a.png");
    Path b = tmp.resolve("b.png");
    assertEquals(0, run("image", "embed", "--key", "alice", "--payload", "0123456789abcdef", photo.toString(),
        a.toString()).exitCode);
    assertEquals(0, run("image", "embed", "--key", "bob", "--payload", "fedcba9876543210", photo.toString(),
        b.toString()).exitCode);
    BufferedImage left = ImageIO.read(a.toFile());
    BufferedImage right = ImageIO.read(b.toFile());
    BufferedImage collage = new BufferedImage(1536, 512, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = collage.createGraphics();
    g.drawImage(left, 0, 0, null);
    g.drawImage(right, 768, 0, null);
    g.dispose();
    Path c = tmp.resolve("collage.png");
    ImageIO.write(collage, "png", c.toFile());
    Path overlay = tmp.resolve("overlay.png");
    CliRun d = run("image", "detect", "--json", "--overlay", overlay.toString(), c.toString());
    assertEquals(ExitCodes.OK, d.exitCode, d.toString());
    JsonNode j = new ObjectMapper().readTree(d.out);
    boolean sawAlice = false;
    boolean sawBob = false;
    for (JsonNode r : j.get("regions")) {
      double centre = r.get("x").asInt() + r.get("width").asInt() / 2.0;
      assertTrue(r.get("pValue").asDouble() <= 1e-6, r.toString());
      if (r.get("keyName").asText().equals("alice")) {
        sawAlice = true;
        assertTrue(centre < 768, r.toString());
      } else {
        assertEquals("bob", r.get("keyName").asText());
        sawBob = true;
        assertTrue(centre > 768, r.toString());
      }
    }
    assertTrue(sawAlice && sawBob, d.out);
    BufferedImage drawn = ImageIO.read(overlay.toFile());
    assertEquals(1536, drawn.getWidth());
    assertEquals(512, drawn.getHeight());
    JsonNode first = j.get("regions").get(0);
    int x = first.get("x").asInt() + 1;
    int y = first.get("y").asInt() + first.get("height").asInt() / 2;
    // The frame differs from the photo there; a pixel far inside the region does not.
    assertTrue(drawn.getRGB(x, y) != collage.getRGB(x, y));
    int ix = first.get("x").asInt() + first.get("width").asInt() / 2;
    assertEquals(collage.getRGB(ix, y) & 0xffffff, drawn.getRGB(ix, y) & 0xffffff);

    CliRun bad = run("image", "detect", "--overlay", tmp.resolve("o.jpg").toString(), c.toString());
    assertEquals(ExitCodes.USAGE, bad.exitCode, bad.toString());
  }

  @Test
  void badInputsGetOneLineErrors() throws Exception {
    Path notImage = tmp.resolve("notes.png");
    Files.writeString(notImage, "hello");
    CliRun a = run("image", "detect", notImage.toString());
    assertEquals(ExitCodes.BAD_INPUT, a.exitCode, a.toString());
    assertTrue(a.err.contains("notes.png: not a recognised image"), a.err);
    assertEquals(1, a.err.strip().split("\n").length, a.err);

    byte[] png = Files.readAllBytes(photo);
    Path cut = tmp.resolve("cut.png");
    Files.write(cut, Arrays.copyOf(png, png.length / 3));
    CliRun b = run("image", "fingerprint", cut.toString());
    assertEquals(ExitCodes.BAD_INPUT, b.exitCode, b.toString());
    assertTrue(b.err.contains("corrupt or truncated"), b.err);

    CliRun c = run("image", "embed", "--key", "alice", "--payload", "xyz", photo.toString(), tmp.resolve("o.png").toString());
    assertEquals(ExitCodes.USAGE, c.exitCode, c.toString());
    CliRun d = run("image", "embed", "--key", "nobody", photo.toString(), tmp.resolve("o.png").toString());
    assertEquals(ExitCodes.BAD_INPUT, d.exitCode, d.toString());
    CliRun e = run("image", "embed", "--key", "alice", photo.toString(), tmp.resolve("o.gif").toString());
    assertEquals(ExitCodes.USAGE, e.exitCode, e.toString());
    assertFalse(Files.exists(tmp.resolve("o.gif")));
    Path small = small();
    CliRun f = run("image", "embed", "--key", "alice", small.toString(), tmp.resolve("o.png").toString());
    assertEquals(ExitCodes.BAD_INPUT, f.exitCode, f.toString());
    assertTrue(f.err.contains("too small"), f.err);
    CliRun g = run("image", "detect", "--alpha", "2", photo.toString());
    assertEquals(ExitCodes.USAGE, g.exitCode, g.toString());
  }

  /** The output's name is the user's choice: a name embed cannot write is a usage error, as in tag. */
  @Test
  void anOutputNameEmbedCannotWriteIsAUsageError() throws Exception {
    for (String name : new String[] {"o.gif", "o.webp", "o.txt", "noext"}) {
      CliRun r = run("image", "embed", "--key", "alice", photo.toString(), tmp.resolve(name).toString());
      assertEquals(ExitCodes.USAGE, r.exitCode, name + ": " + r);
      assertTrue(r.err.startsWith("hallmark: OUT " + tmp.resolve(name) + ": cannot write this format"), r.err);
      assertFalse(Files.exists(tmp.resolve(name)));
    }
    // A CMYK JPEG (four channels, no Adobe marker) cannot become a PNG without converting its colours.
    java.awt.image.WritableRaster ink = java.awt.image.Raster.createInterleavedRaster(
        java.awt.image.DataBuffer.TYPE_BYTE, 256, 256, 4, null);
    for (int y = 0; y < 256; y++) {
      for (int x = 0; x < 256; x++) {
        ink.setPixel(x, y, new int[] {x, y, (x + y) / 2, 40});
      }
    }
    Path cmyk = tmp.resolve("cmyk.jpg");
    javax.imageio.ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (javax.imageio.stream.ImageOutputStream o = ImageIO.createImageOutputStream(cmyk.toFile())) {
      w.setOutput(o);
      w.write(null, new javax.imageio.IIOImage(ink, null, null), null);
    } finally {
      w.dispose();
    }
    assertTrue(Images.readFile(cmyk).isCmyk());
    CliRun c = run("image", "embed", "--key", "alice", cmyk.toString(), tmp.resolve("cmyk.png").toString());
    assertEquals(ExitCodes.USAGE, c.exitCode, c.toString());
    assertTrue(c.err.contains("CMYK") && c.err.contains("name the output .jpg"), c.err);
    assertFalse(Files.exists(tmp.resolve("cmyk.png")));
  }

  /** An existing OUT is not overwritten without --force (as tag does). */
  @Test
  void anExistingOutputIsReplacedOnlyWithForce() throws Exception {
    Path out = tmp.resolve("taken.png");
    Files.writeString(out, "someone else's file");
    CliRun r = run("image", "embed", "--key", "alice", photo.toString(), out.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.exitCode, r.toString());
    assertTrue(r.err.startsWith("hallmark: " + out + ": exists;") && r.err.contains("--force"), r.err);
    assertEquals("someone else's file", Files.readString(out));
    CliRun f = run("image", "embed", "--key", "alice", "--force", photo.toString(), out.toString());
    assertEquals(ExitCodes.OK, f.exitCode, f.toString());
    assertTrue(Images.readFile(out).image().getWidth() > 0);
  }
}
