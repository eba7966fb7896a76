package dev.hallmark.watermark.internal.image;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.image.ImageWatermarker;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tiled spread-spectrum luminance watermark; see {@code docs/spec/image-watermark.md}.
 *
 * <p>Embedding adds a keyed 128x128 pattern, tiled over the image and scaled by a texture mask.
 * A quarter of its 1024 chips form a fixed sync pattern, the rest carry the rate-1/3 convolutional
 * codeword of payload (64 bits) plus a keyed 32-bit check. Detection whitens the luminance, estimates
 * the tile period from the autocorrelation, folds the image onto one tile at a few candidate scales
 * and small rotations, finds the offset by FFT cross-correlation with the sync pattern, and decodes
 * the payload with a soft Viterbi decoder. Immutable and thread-safe.
 */
public final class TiledSpreadSpectrum implements ImageWatermarker {
  private static final int T = KeyedPattern.TILE;
  private static final int TT = T * T;
  private static final int MIN_DETECT = 64;
  private static final int PERIOD_CANDIDATES = 10;
  private static final int FINE_STEPS = 1;
  private static final double FINE_STEP = 0.003;
  /** Peaks (strongest first) whose fine search spans +-REFINE_LAG pixels of period. */
  private static final int REFINED_PEAKS = 3;
  private static final double REFINE_LAG = 1.2;
  private static final int DECODES = 4;
  /** Rotations searched at scale 1: +-0.25 to +-2 degrees in quarter-degree steps. */
  private static final int ROTATION_STEPS = 8;
  private static final double ROTATION_STEP_DEGREES = 0.25;

  private final ImageWatermarkParameters params;

  public TiledSpreadSpectrum(ImageWatermarkParameters params) {
    this.params = params;
  }

  @Override
  public ImageWatermarkParameters parameters() {
    return params;
  }

  @Override
  public BufferedImage embed(BufferedImage image, WatermarkKey key, byte[] payload)
      throws HallmarkException {
    if (payload.length != PAYLOAD_BYTES) {
      throw new IllegalArgumentException("the image watermark payload is " + PAYLOAD_BYTES
          + " bytes, not " + payload.length);
    }
    int w = image.getWidth();
    int h = image.getHeight();
    if (w < MIN_DIMENSION || h < MIN_DIMENSION) {
      throw new HallmarkException("image is " + w + "x" + h + ", too small to carry the watermark; it needs at least "
          + MIN_DIMENSION + "x" + MIN_DIMENSION + " pixels");
    }
    KeyedPattern pattern = new KeyedPattern(key, new Fft(T));
    float[] tile = pattern.tile(ConvolutionalCode.encode(infoBits(payload, pattern.check(payload))));
    float[] delta = mask(Luma.luma(image), w, h);
    double ss = 0;
    for (int row = 0; row < h; row++) {
      int o = row * w;
      int to = (row % T) * T;
      for (int x = 0; x < w; x++) {
        float d = delta[o + x] * tile[to + (x % T)];
        delta[o + x] = d;
        ss += (double) d * d;
      }
    }
    double targetRms = 255.0 / Math.pow(10, params.targetPsnrDb() / 20);
    float k = (float) (targetRms / Math.sqrt(ss / ((double) w * h)));
    for (int i = 0; i < delta.length; i++) {
      delta[i] *= k;
    }
    return Luma.addLuma(image, delta);
  }

  /** Texture mask: local mean absolute deviation, relative to its image mean, clamped. */
  static float[] mask(float[] y, int w, int h) {
    float[] act = Filters.box(y, w, h, 1);
    for (int i = 0; i < act.length; i++) {
      act[i] = Math.abs(y[i] - act[i]);
    }
    Filters.boxInPlace(act, w, h, 4);
    double mean = 0;
    for (float v : act) {
      mean += v;
    }
    mean = mean / act.length + 1e-3;
    for (int i = 0; i < act.length; i++) {
      double m = act[i] / mean;
      act[i] = (float) Math.max(0.35, Math.min(2.5, m));
    }
    return act;
  }

  static boolean[] infoBits(byte[] payload, byte[] check) {
    boolean[] bits = new boolean[KeyedPattern.INFO_BITS];
    for (int i = 0; i < 64; i++) {
      bits[i] = ((payload[i >>> 3] >>> (7 - (i & 7))) & 1) == 1;
    }
    for (int i = 0; i < 32; i++) {
      bits[64 + i] = ((check[i >>> 3] >>> (7 - (i & 7))) & 1) == 1;
    }
    return bits;
  }

  @Override
  public ImageDetection detect(BufferedImage image, List<WatermarkKey> keys, double alpha)
      throws HallmarkException {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be between 0 and 1, not " + alpha);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no watermark keys to detect with");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    if (w < MIN_DETECT || h < MIN_DETECT) {
      throw new HallmarkException("image is " + w + "x" + h + ", too small to hold a watermark (at least "
          + MIN_DETECT + "x" + MIN_DETECT + " needed)");
    }
    float[] r = whiten(Luma.luma(image), w, h);
    double[] scales = candidateScales(r, w, h);
    Fft fft = new Fft(T);
    List<Fold> folds = new ArrayList<>();
    for (double s : scales) {
      folds.add(fold(r, w, h, s, fft));
    }
    for (int a = -ROTATION_STEPS; a <= ROTATION_STEPS; a++) {
      if (a != 0) {
        folds.add(foldRotated(r, w, h, a * ROTATION_STEP_DEGREES, fft));
      }
    }
    long geometries = (long) folds.size() * TT;
    int best = -1;
    KeyResult bestResult = null;
    for (int k = 0; k < keys.size(); k++) {
      KeyResult kr = detectKey(new KeyedPattern(keys.get(k), fft), folds, fft, geometries);
      if (bestResult == null || kr.p < bestResult.p) {
        bestResult = kr;
        best = k;
      }
    }
    double family = Math.min(1, bestResult.p * keys.size());
    boolean detected = family <= alpha;
    return new ImageDetection(detected, family, alpha, keys.size(),
        detected ? keys.get(best).keyId() : null,
        detected && bestResult.valid ? bestResult.payload : null,
        detected && bestResult.valid, bestResult.z, bestResult.scale,
        KeyedPattern.CODED_BITS, bestResult.codedErrors, geometries, bestResult.rawPayload,
        bestResult.angle);
  }

  private static final class Fold {
    final double scale;
    final double angle;
    final double[] tile;
    final double[] re;
    final double[] im;

    Fold(double scale, double[] tile, double[] re, double[] im) {
      this(scale, 0, tile, re, im);
    }

    Fold(double scale, double angle, double[] tile, double[] re, double[] im) {
      this.scale = scale;
      this.angle = angle;
      this.tile = tile;
      this.re = re;
      this.im = im;
    }
  }

  private static final class KeyResult {
    double p = 1;
    double z = Double.NEGATIVE_INFINITY;
    double scale = 1;
    double angle;
    byte[] payload;
    boolean valid;
    int codedErrors = -1;
    byte[] rawPayload;
  }

  private KeyResult detectKey(KeyedPattern pattern, List<Fold> folds, Fft fft, long geometries) {
    int n = folds.size();
    double[] zs = new double[n];
    int[] shifts = new int[n];
    double[] re = new double[TT];
    double[] im = new double[TT];
    for (int f = 0; f < n; f++) {
      Fold fold = folds.get(f);
      for (int i = 0; i < TT; i++) {
        double ar = fold.re[i];
        double ai = fold.im[i];
        double br = pattern.syncRe[i];
        double bi = -pattern.syncIm[i];
        re[i] = ar * br - ai * bi;
        im[i] = ar * bi + ai * br;
      }
      fft.transform2d(re, im, true);
      double sum = 0;
      double sum2 = 0;
      double max = Double.NEGATIVE_INFINITY;
      int arg = 0;
      for (int i = 0; i < TT; i++) {
        double v = re[i];
        sum += v;
        sum2 += v * v;
        if (v > max) {
          max = v;
          arg = i;
        }
      }
      double mean = sum / TT;
      double sd = Math.sqrt(Math.max(1e-300, sum2 / TT - mean * mean));
      zs[f] = (max - mean) / sd;
      shifts[f] = arg;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(zs[b], zs[a]));
    KeyResult kr = new KeyResult();
    int top = order[0];
    kr.z = zs[top];
    kr.scale = folds.get(top).scale;
    kr.angle = folds.get(top).angle;
    double pSync = Math.min(1, geometries * Stats.upperTail(kr.z));
    int decodes = Math.min(DECODES, n);
    double pMac = 1;
    for (int d = 0; d < decodes; d++) {
      int f = order[d];
      Decoded dec = decode(pattern, folds.get(f).tile, shifts[f]);
      if (dec.valid) {
        pMac = Math.min(1, decodes * Math.pow(2, -32));
        kr.payload = dec.payload;
        kr.valid = true;
        kr.rawPayload = dec.payload;
        kr.codedErrors = dec.codedErrors;
        kr.scale = folds.get(f).scale;
        kr.angle = folds.get(f).angle;
        kr.z = Math.max(kr.z, zs[f]);
        break;
      }
      if (d == 0) {
        kr.codedErrors = dec.codedErrors;
        kr.rawPayload = dec.payload;
      }
    }
    kr.p = Math.min(1, 2 * Math.min(pSync, pMac));
    return kr;
  }

  private static final class Decoded {
    byte[] payload;
    boolean valid;
    int codedErrors;
  }

  private static Decoded decode(KeyedPattern pattern, double[] tile, int shift) {
    int dy = shift / T;
    int dx = shift % T;
    double[] soft = new double[KeyedPattern.CODED_BITS];
    int c4 = KeyedPattern.CHIP;
    for (int c = 0; c < KeyedPattern.CHIPS; c++) {
      int role = pattern.role[c];
      if (role < 0) {
        continue;
      }
      int cy = (c / KeyedPattern.GRID) * c4 + dy;
      int cx = (c % KeyedPattern.GRID) * c4 + dx;
      double s = 0;
      for (int j = -c4 + 1; j < c4; j++) {
        double wy = 1 - Math.abs(j) / (double) c4;
        int row = ((cy + j) & (T - 1)) * T;
        for (int i = -c4 + 1; i < c4; i++) {
          s += wy * (1 - Math.abs(i) / (double) c4) * tile[row + ((cx + i) & (T - 1))];
        }
      }
      soft[role] += pattern.sign[c] * s;
    }
    boolean[] info = ConvolutionalCode.decode(soft, KeyedPattern.INFO_BITS);
    byte[] payload = new byte[PAYLOAD_BYTES];
    byte[] check = new byte[4];
    for (int i = 0; i < 64; i++) {
      if (info[i]) {
        payload[i >>> 3] |= (byte) (0x80 >>> (i & 7));
      }
    }
    for (int i = 0; i < 32; i++) {
      if (info[64 + i]) {
        check[i >>> 3] |= (byte) (0x80 >>> (i & 7));
      }
    }
    Decoded d = new Decoded();
    d.payload = payload;
    d.valid = pattern.checkMatches(payload, check);
    boolean[] coded = ConvolutionalCode.encode(info);
    int errors = 0;
    for (int i = 0; i < coded.length; i++) {
      if ((soft[i] < 0) != coded[i]) {
        errors++;
      }
    }
    d.codedErrors = errors;
    return d;
  }

  /** Band-pass residual normalised by its local energy and clipped, so textures do not dominate. */
  static float[] whiten(float[] y, int w, int h) {
    // Overwrites y (a fresh luminance plane) to keep at most three planes alive on large images.
    float[] e = Filters.box(y, w, h, 2);
    for (int i = 0; i < y.length; i++) {
      float v = y[i] - e[i];
      y[i] = v;
      e[i] = v * v;
    }
    Filters.boxInPlace(e, w, h, 2);
    for (int i = 0; i < y.length; i++) {
      float v = y[i] / (float) (Math.sqrt(Math.max(0f, e[i])) + 1.0);
      y[i] = Math.max(-3f, Math.min(3f, v));
    }
    return y;
  }

  /** Folds the residual onto one tile, assuming the image was resized by {@code scale}. */
  private static Fold fold(float[] r, int w, int h, double scale, Fft fft) {
    double inv = 1 / scale;
    int[] ux = new int[w];
    for (int x = 0; x < w; x++) {
      ux[x] = ((int) Math.floor(x * inv + 0.5)) & (T - 1);
    }
    int[] cx = new int[T];
    for (int x = 0; x < w; x++) {
      cx[ux[x]]++;
    }
    int[] cy = new int[T];
    float[] acc = new float[TT];
    for (int y = 0; y < h; y++) {
      int by = ((int) Math.floor(y * inv + 0.5)) & (T - 1);
      cy[by]++;
      int uy = by * T;
      int o = y * w;
      for (int x = 0; x < w; x++) {
        acc[uy + ux[x]] += r[o + x];
      }
    }
    double[] sum = new double[TT];
    double mean = 0;
    int filled = 0;
    for (int i = 0; i < TT; i++) {
      int c = cx[i & (T - 1)] * cy[i / T];
      if (c > 0) {
        sum[i] = acc[i] / (double) c;
        mean += sum[i];
        filled++;
      }
    }
    mean /= Math.max(1, filled);
    for (int i = 0; i < TT; i++) {
      if (cx[i & (T - 1)] * cy[i / T] > 0) {
        sum[i] -= mean;
      }
    }
    double[] re = sum.clone();
    double[] im = new double[TT];
    fft.transform2d(re, im, false);
    return new Fold(scale, sum, re, im);
  }

  /** Folds the residual onto one tile assuming a rotation by {@code degrees} about the centre. */
  private static Fold foldRotated(float[] r, int w, int h, double degrees, Fft fft) {
    double a = Math.toRadians(degrees);
    double cos = Math.cos(a);
    double sin = Math.sin(a);
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    // Offset keeps the coordinates positive so that "& (T - 1)" is a true modulus.
    double off = 64.0 * T;
    float[] acc = new float[TT];
    int[] cnt = new int[TT];
    for (int y = 0; y < h; y++) {
      double dy = y - cy;
      double u0 = sin * dy + off - cos * cx;
      double v0 = cos * dy + off + sin * cx;
      int o = y * w;
      for (int x = 0; x < w; x++) {
        int bx = ((int) (u0 + cos * x + 0.5)) & (T - 1);
        int by = ((int) (v0 - sin * x + 0.5)) & (T - 1);
        int bin = by * T + bx;
        acc[bin] += r[o + x];
        cnt[bin]++;
      }
    }
    double[] sum = new double[TT];
    double mean = 0;
    int filled = 0;
    for (int i = 0; i < TT; i++) {
      if (cnt[i] > 0) {
        sum[i] = acc[i] / (double) cnt[i];
        mean += sum[i];
        filled++;
      }
    }
    mean /= Math.max(1, filled);
    for (int i = 0; i < TT; i++) {
      if (cnt[i] > 0) {
        sum[i] -= mean;
      }
    }
    double[] re = sum.clone();
    double[] im = new double[TT];
    fft.transform2d(re, im, false);
    return new Fold(1.0, degrees, sum, re, im);
  }

  /**
   * Resize factors to try: 1, and the strongest periods of the residual's autocorrelation along rows
   * and columns, each with a few fine steps around it. Texture can pull a period peak by about one
   * lag pixel, which at short periods (strong downscaling) is more than the fine steps cover, so
   * around the {@value #REFINED_PEAKS} strongest peaks the fine steps span +-{@value #REFINE_LAG}
   * pixels of period.
   */
  double[] candidateScales(float[] r, int w, int h) {
    double minS = params.minScale();
    double maxS = params.maxScale();
    List<Double> coarse = new ArrayList<>();
    List<Integer> steps = new ArrayList<>();
    coarse.add(1.0);
    steps.add(FINE_STEPS);
    int peaks = 0;
    for (double p : Periods.strongest(r, w, h, T * minS, T * maxS, PERIOD_CANDIDATES)) {
      double s = p / T;
      int k = peaks++ < REFINED_PEAKS
          ? Math.max(FINE_STEPS, (int) Math.ceil(REFINE_LAG / p / FINE_STEP)) : FINE_STEPS;
      boolean dup = false;
      for (int i = 0; i < coarse.size(); i++) {
        if (Math.abs(coarse.get(i) / s - 1) < 2 * FINE_STEP) {
          dup = true;
          steps.set(i, Math.max(steps.get(i), k));
        }
      }
      if (!dup) {
        coarse.add(s);
        steps.add(k);
      }
    }
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < coarse.size(); i++) {
      double c = coarse.get(i);
      for (int k = -steps.get(i); k <= steps.get(i); k++) {
        double s = c * (1 + k * FINE_STEP);
        boolean dup = false;
        for (double o : out) {
          if (Math.abs(o / s - 1) < FINE_STEP / 2) {
            dup = true;
            break;
          }
        }
        if (!dup) {
          out.add(s);
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
