package dev.hallmark.watermark.internal.image;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageDetector;
import dev.hallmark.watermark.image.ImageRegion;
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
  private static final int LOG_T = Integer.numberOfTrailingZeros(T);
  private static final int MIN_DETECT = 64;
  private static final int PERIOD_CANDIDATES = 10;
  private static final int FINE_STEPS = 1;
  private static final double FINE_STEP = 0.003;
  /** Peaks (strongest first) whose fine search spans +-REFINE_LAG pixels of period. */
  private static final int REFINED_PEAKS = 3;
  private static final double REFINE_LAG = 1.2;
  /**
   * The full-resolution period search covers scales up to this; longer periods (upscales) are
   * sought on the half-resolution residual ({@link Half}), from {@value #HALF_MIN_SCALE} up.
   */
  private static final double FULL_MAX_SCALE = 2.2;
  private static final double HALF_MIN_SCALE = 1.1;
  /** Periods of the half-resolution residual folded (each with its fine steps). */
  private static final int HALF_PERIODS = 2;
  /** Rows (and columns) of the half-resolution residual whose autocorrelation is averaged. */
  private static final int HALF_LINES = 256;
  /** Fine steps around a half-resolution period span +-this many half-resolution pixels of period. */
  private static final double HALF_REFINE_LAG = 0.6;
  /**
   * Hypotheses (smallest p first) whose payload is read. Detector 1.8: 8 (4 before): the best few
   * are often overlapping windows over one marked picture, each reading it a little worse than the
   * whole; a read costs well under a millisecond, and p_mac = 2 x 8 x 2^-32 (3.7e-9) stays far below
   * the default alpha of 1e-6.
   */
  private static final int DECODES = 8;
  /** Rotations searched at scale 1: +-0.25 to +-2 degrees in quarter-degree steps. */
  private static final int ROTATION_STEPS = 8;
  private static final double ROTATION_STEP_DEGREES = 0.25;
  /** Rotation and scale estimates from the autocorrelation lattice, each folded at 5 nearby geometries. */
  private static final int LATTICE_CANDIDATES = 3;
  private static final double LATTICE_MIN_SCALE = 0.3;
  /**
   * Rotation-only estimates (lattice scale within 1.5% of 1), each folded at scale 1 at its angle
   * and {@value #ROTATION_FINE_DEGREES} degrees either side. On textured photos the right angle is
   * often not the strongest (issue #15: kodim01, 05, 08 and 13 rotated 5 and 30 degrees put it at
   * rank 1 to 10 of 12, once not at all).
   */
  private static final int ROTATION_CANDIDATES = 10;
  private static final double ROTATION_FINE_DEGREES = 0.15;
  private static final double LATTICE_MAX_SCALE = 3.0;
  /** The 8 symmetries of the square tile: (swap x and y, sign of x, sign of y). */
  static final int DIHEDRAL = 8;
  /*
   * Shares of alpha (they sum to 1; see the spec's "Statistic"): the whole image at scale 1, no
   * rotation or symmetry (crops, collages, valuemetric edits); the other version-1 hypotheses; the
   * localisation windows; the whole image's 7 other symmetries at scale 1; every other hypothesis
   * (lattice geometries, the other folds' symmetries). Images too small for any window give the
   * windows' share to the scale-1 hypothesis.
   */
  private static final double IDENTITY_WEIGHT = 0.2;
  private static final double LEGACY_WEIGHT = 0.25;
  private static final double WINDOW_WEIGHT = 0.2;
  /**
   * The pasted rectangle's share (detector 1.10), taken from the windows' when, and only when, a
   * rectangle is found (which depends on the image alone): one hypothesis at 0.05 needs z of 7.14
   * at alpha 1e-6, a window of a 768x512 photo 7.70 (7.74 at 0.15). On OmniSealBench's collage
   * the rectangle's fold reads z of 7.3-7.6 where the windows read 6-7.
   */
  private static final double PASTED_WEIGHT = 0.05;
  /**
   * The 7 other symmetries of the whole image at scale 1 (quarter turns and flips: lossless edits as
   * common as any); in the other family before detector 1.3, where about a thousand lattice and
   * scale hypotheses set their threshold.
   */
  private static final double SYMMETRY_WEIGHT = 0.1;
  /**
   * Bentkus and Dzindzalieta (Bernoulli 21(2), 2015): for random signs e_i and sum a_i^2 <= 1,
   * {@code P(sum a_i e_i >= x) <= c Q(x)} for all x, with the smallest such c = 1 / (4 Q(sqrt 2)),
   * about 3.178. Rounded up.
   */
  static final double SIGN_SUM_TAIL = 3.1787;
  /** Offsets (largest raw correlation first) at which each (fold, symmetry) is standardised. */
  private static final int PEAK_OFFSETS = 4;
  /** The spectral weight's floor: the median of the folds' smoothed power over this. */
  private static final double WEIGHT_FLOOR = 16;
  private static final double OTHER_WEIGHT = 0.25;
  /** At most this many regions are reported per detection. */
  private static final int MAX_REGIONS = 16;
  /** Folding by chunks pays when chunks average at least this many columns; else plain scatter. */
  private static final int MIN_CHUNK = 12;

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
    float[] delta = mask(Luma.luma(image), w, h, params.maskExponent());
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
    if (Luma.cmyk(image)) {
      // CMYK: the samples are ink, which moves in C, M and Y and, where they cannot, in K; the target
      // is the PSNR of those samples, so the mark is scaled to the change they actually take (twice:
      // clipping makes the change not quite proportional).
      for (int pass = 0; pass < 2; pass++) {
        double rms = Luma.inkChangeRms(image, delta);
        if (rms > 0) {
          float f = (float) (targetRms / rms);
          for (int i = 0; i < delta.length; i++) {
            delta[i] *= f;
          }
        }
      }
    }
    return Luma.addLuma(image, delta);
  }

  /**
   * Texture mask: local mean absolute deviation {@code act}, relative to its image mean, raised to
   * {@code exponent} and clamped to [0.35, 2.5]. The embedder (1.1) scales the pattern by the square
   * root of that ratio (exponent 0.5, {@link ImageWatermarkParameters#maskExponent()}), the
   * detector's weight (step 1) by the ratio itself (exponent 1).
   *
   * <p>Why the root for embedding: the detector divides the residual by its local RMS, which grows
   * with texture about as {@code act} does, so a mark scaled by {@code act} itself has the same
   * strength after that division in textured and in quieter areas: the share of the RMS budget spent
   * on busy texture buys no detectability there, and moderately textured areas, where the mark
   * stands out, get little. And the visibility threshold grows more slowly than the masking
   * texture's contrast (as its power 0.5-0.7: Legge and Foley 1980; Watson's DCT model uses 0.7), so
   * a mark scaled by {@code act} is the most visible, for its threshold, in the busiest texture; the
   * root spreads it closer to equal visibility and moves budget towards those quieter areas at the
   * same PSNR. The detector's weight is unchanged (detector 1.5's): with it, marks of embedder 1.0 and
   * 1.1 are read alike (docs/BENCHMARKS.md, "Embedder 1.1").
   */
  static float[] mask(float[] y, int w, int h, double exponent) {
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
    // The clamp by comparisons: m is never NaN or -0.0 here, so this is Math.max(0.35,
    // Math.min(2.5, m)) bit for bit, at under half the cost (the mask is half of embedding). One
    // loop per form, so that the common two have no per-pixel branch on the exponent.
    if (exponent == 1) {
      for (int i = 0; i < act.length; i++) {
        double m = act[i] / mean;
        act[i] = (float) (m < 0.35 ? 0.35 : m > 2.5 ? 2.5 : m);
      }
    } else if (exponent == 0.5) {
      double scale = 1 / Math.sqrt(mean);
      for (int i = 0; i < act.length; i++) {
        double m = Math.sqrt(act[i]) * scale;
        act[i] = (float) (m < 0.35 ? 0.35 : m > 2.5 ? 2.5 : m);
      }
    } else {
      for (int i = 0; i < act.length; i++) {
        double m = Math.pow(act[i] / mean, exponent);
        act[i] = (float) (m < 0.35 ? 0.35 : m > 2.5 ? 2.5 : m);
      }
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
    checkAlpha(alpha);
    return detector(keys).detect(image, alpha);
  }

  @Override
  public ImageDetector detector(List<WatermarkKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no watermark keys to detect with");
    }
    Fft fft = new Fft(T);
    List<String> ids = new ArrayList<>();
    List<KeyedPattern> patterns = new ArrayList<>();
    for (WatermarkKey k : keys) {
      ids.add(k.keyId());
      patterns.add(new KeyedPattern(k, fft));
    }
    return new Prepared(List.copyOf(ids), List.copyOf(patterns), fft);
  }

  private static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be between 0 and 1, not " + alpha);
    }
  }

  /** Keys' patterns (immutable; their MAC is used under its own lock) and the tile FFT. */
  private final class Prepared implements ImageDetector {
    private final List<String> ids;
    private final List<KeyedPattern> patterns;
    private final Fft fft;

    Prepared(List<String> ids, List<KeyedPattern> patterns, Fft fft) {
      this.ids = ids;
      this.patterns = patterns;
      this.fft = fft;
    }

    @Override
    public List<String> keyIds() {
      return ids;
    }

    @Override
    public ImageDetection detect(BufferedImage image, double alpha) throws HallmarkException {
      checkAlpha(alpha);
      return search(image, ids, patterns, fft, alpha, true);
    }

    @Override
    public String toString() {
      return "ImageDetector{keys=" + ids + ", " + params + "}";
    }
  }

  @Override
  public ImageDetection checkEmbedded(BufferedImage image, WatermarkKey key, double alpha) throws HallmarkException {
    checkAlpha(alpha);
    Fft fft = new Fft(T);
    return search(image, List.of(key.keyId()), List.of(new KeyedPattern(key, fft)), fft, alpha, false);
  }

  /**
   * With {@code full} false, the geometry search is left out: the one fold at scale 1 without rotation
   * (its 8 symmetries and every offset), no lattice, no windows. The p-value then counts those
   * hypotheses alone, which is right for the question "does the mark read back where it was put".
   */
  private ImageDetection search(BufferedImage image, List<String> ids, List<KeyedPattern> patterns, Fft fft,
      double alpha, boolean full) throws HallmarkException {
    int w = image.getWidth();
    int h = image.getHeight();
    if (w < MIN_DETECT || h < MIN_DETECT) {
      throw new HallmarkException("image is " + w + "x" + h + ", too small to hold a watermark (at least "
          + MIN_DETECT + "x" + MIN_DETECT + " needed)");
    }
    float[] y = Luma.luma(image);
    // From the luminance, before the residual overwrites it; from the image alone, never a key.
    double[][] outline = full ? Outline.corners(y, w, h) : null;
    int[] pasted = full ? Rectangles.find(y, w, h) : null;
    Half half = full && params.maxScale() > HALF_MIN_SCALE ? Half.of(y, w, h) : null;
    float[] r = whiten(y, w, h, Luma.Chroma.of(image));
    List<Fold> folds;
    int legacy;
    if (full) {
      Geometry g = geometryFolds(r, w, h, half, outline);
      folds = g.folds();
      legacy = g.legacy();
    } else {
      folds = folds(r, w, h, new double[] {1.0});
      legacy = 1;
    }
    List<PairSpectrum> spectra = spectra(folds, fft);
    double[][] weight = spectralWeight(spectra);
    double[][] chipFilter = chipFilter(weight);
    List<double[]> chipSums = chipSums(spectra, folds.size(), chipFilter, fft);
    int identity = -1;
    for (int f = 0; f < legacy; f++) {
      if (folds.get(f).scale == 1.0 && folds.get(f).angle == 0) {
        identity = f;
        break;
      }
    }
    Windows windows = full ? Windows.of(r, w, h) : Windows.none();
    windows.prepare(chipFilter, fft);
    // A pasted rectangle is searched only beside the windows (spec step 5: when W > 0).
    List<Pasted> rects = Pasted.of(r, w, h, pasted == null || windows.size() == 0 ? List.of() : List.<int[]>of(pasted),
        chipFilter, fft);
    long geometries = ((long) folds.size() * DIHEDRAL + windows.size() + rects.size()) * TT;
    int best = -1;
    KeyResult bestResult = null;
    KeyResult[] results = new KeyResult[patterns.size()];
    for (int k = 0; k < patterns.size(); k++) {
      KeyResult kr = detectKey(patterns.get(k), folds, legacy, identity, spectra, chipSums, weight, windows,
          rects, fft);
      results[k] = kr;
      if (bestResult == null || kr.p < bestResult.p) {
        bestResult = kr;
        best = k;
      }
    }
    double family = Math.min(1, bestResult.p * patterns.size());
    boolean detected = family <= alpha;
    List<ImageRegion> regions = detected
        ? regions(results, windows, rects, ids, patterns, weight != null, alpha) : List.of();
    return new ImageDetection(detected, family, alpha, patterns.size(),
        detected ? ids.get(best) : null,
        detected && bestResult.valid ? bestResult.payload : null,
        detected && bestResult.valid, bestResult.z, bestResult.scale,
        KeyedPattern.CODED_BITS, bestResult.codedErrors, geometries, bestResult.rawPayload,
        bestResult.rotation(), bestResult.mirrored(), bestResult.transform(), regions,
        detected ? bestResult.outline : null);
  }

  /**
   * The luminance at half resolution (2x2 means), whose residual shows the period of an upscaled
   * image's mark far better than the full-resolution residual, whose 5x5 band-pass is tuned to the
   * mark's 4-pixel chips at scale 1.
   */
  record Half(float[] r, int w, int h) {
    /** Null when the half-resolution image would be under {@value #MIN_DETECT} pixels a side. */
    static Half of(float[] y, int fw, int fh) {
      int w = fw / 2;
      int h = fh / 2;
      if (w < MIN_DETECT || h < MIN_DETECT) {
        return null;
      }
      float[] r = new float[w * h];
      for (int j = 0; j < h; j++) {
        int o0 = 2 * j * fw;
        int o1 = o0 + fw;
        int o = j * w;
        for (int i = 0; i < w; i++) {
          r[o + i] = 0.25f * (y[o0 + 2 * i] + y[o0 + 2 * i + 1] + y[o1 + 2 * i] + y[o1 + 2 * i + 1]);
        }
      }
      // Step 1 without the colour step and with a mask of 1: clamp(r / d, -3, 3) / d (the division
      // by d weights flat areas, where the mark stands out, as step 1's weight m / d does; without
      // it 7 more of the 72 Kodak photos upscaled 2x, 2.5x and 3x were missed).
      return new Half(residual(r, w, h, null, null), w, h);
    }
  }

  /** The geometry search's folds: the version-1 ones (scales, small rotations) first, {@code legacy} of them, then the lattice's. */
  private record Geometry(List<Fold> folds, int legacy) {}

  /** Spec detection steps 2 and 3: the scale and small-rotation folds, then the lattice estimates' folds. */
  private Geometry geometryFolds(float[] r, int w, int h, Half half, double[][] outline) {
    double[] scales = candidateScales(r, w, h);
    List<Fold> folds = folds(r, w, h, scales);
    if (half != null) {
      double[] s2 = halfScales(half.r(), half.w(), half.h(), scales);
      for (Fold f : folds(half.r(), half.w(), half.h(), s2)) {
        folds.add(new Fold(2 * f.scale, 0, f.tile));
      }
    }
    double[] angles = new double[2 * ROTATION_STEPS];
    int na = 0;
    for (int a = -ROTATION_STEPS; a <= ROTATION_STEPS; a++) {
      if (a != 0) {
        angles[na++] = a * ROTATION_STEP_DEGREES;
      }
    }
    folds.addAll(foldsRotated(r, w, h, angles));
    int legacy = folds.size();
    Lattice.Autocorrelation ac = Lattice.autocorrelation(r, w, h);
    // Any rotation and scale; and rotation alone (scale about 1), a 1-D search far less often
    // outscored by texture than the 2-D one, for the common case of a rotated photo.
    List<double[]> similarity = new ArrayList<>(); // {scale, degrees}, folded together below
    for (Lattice.Estimate e : Lattice.estimate(ac, LATTICE_MIN_SCALE, LATTICE_MAX_SCALE, LATTICE_CANDIDATES)) {
      double deg = quarterTurnFree(e.degrees());
      similarity.add(new double[] {e.scale(), deg});
      similarity.add(new double[] {e.scale(), deg - 0.1});
      similarity.add(new double[] {e.scale(), deg + 0.1});
      similarity.add(new double[] {e.scale() * 0.9985, deg});
      similarity.add(new double[] {e.scale() * 1.0015, deg});
    }
    // A rotation keeps the scale: the lattice's scale within 1.5% of 1 only helps find the angle (on
    // textured photos it is off by up to 1%, 4 pixels at the edge of a 768-pixel photo, enough to
    // lose the mark), so these are folded at scale 1, at the angle and +-0.15 degrees.
    for (Lattice.Estimate e : Lattice.estimate(ac, 0.985, 1.015, ROTATION_CANDIDATES)) {
      double deg = quarterTurnFree(e.degrees());
      similarity.add(new double[] {1.0, deg - ROTATION_FINE_DEGREES});
      similarity.add(new double[] {1.0, deg});
      similarity.add(new double[] {1.0, deg + ROTATION_FINE_DEGREES});
    }
    folds.addAll(foldsSimilarity(r, w, h, similarity));
    if (outline != null) {
      folds.add(foldProjective(r, w, h, outline));
    }
    return new Geometry(folds, legacy);
  }

  /** A lattice turned by 90 degrees is the same lattice: the quarter turns are among the 8 symmetries. */
  private static double quarterTurnFree(double degrees) {
    return degrees >= 45 ? degrees - 90 : degrees;
  }

  /**
   * Windows and pasted rectangles whose own p-value (their family's share of alpha, doubled like
   * the per-key p, times the number of keys) is at most alpha, smallest first; one overlapping a
   * region already reported for the same key is dropped. Each is decoded on its own; a window is
   * trimmed to its marked cells, a pasted rectangle is reported as traced.
   */
  private static List<ImageRegion> regions(KeyResult[] results, Windows windows, List<Pasted> rects, List<String> ids,
      List<KeyedPattern> patterns, boolean weighted, double alpha) {
    int keys = results.length;
    // {p, key, j, z}: j >= 0 a window, j < 0 the pasted rectangle -1 - j.
    List<double[]> cands = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      KeyResult kr = results[k];
      for (int j = 0; j < windows.size(); j++) {
        double p = Math.min(1, 2.0 * keys * kr.windowP[j]);
        if (p <= alpha) {
          cands.add(new double[] {p, k, j, kr.windowZ[j]});
        }
      }
      for (int j = 0; j < rects.size(); j++) {
        double p = Math.min(1, 2.0 * keys * kr.rectP[j]);
        if (p <= alpha) {
          cands.add(new double[] {p, k, -1 - j, kr.rectZ[j]});
        }
      }
    }
    cands.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(b[3], a[3]));
    List<ImageRegion> out = new ArrayList<>();
    List<int[]> kept = new ArrayList<>(); // {key, x, y, width, height}
    for (double[] c : cands) {
      int k = (int) c[1];
      int j = (int) c[2];
      int[] area;
      if (j >= 0) {
        Windows.Window win = windows.list.get(j);
        area = new int[] {win.x, win.y, win.width, win.height};
      } else {
        int[] q = rects.get(-1 - j).bounds();
        area = new int[] {q[0], q[1], q[2] - q[0], q[3] - q[1]};
      }
      boolean overlaps = false;
      for (int[] o : kept) {
        if (o[0] == k && area[0] < o[1] + o[3] && o[1] < area[0] + area[2]
            && area[1] < o[2] + o[4] && o[2] < area[1] + area[3]) {
          overlaps = true;
          break;
        }
      }
      if (overlaps) {
        continue;
      }
      kept.add(new int[] {k, area[0], area[1], area[2], area[3]});
      if (j >= 0) {
        Windows.Window win = windows.list.get(j);
        Decoded dec = decodeBoth(patterns.get(k), windows.fold(win), windows.chipSum(win), weighted, 0,
            results[k].windowShift[j]);
        int[] rect = windows.trim(patterns.get(k), win, results[k].windowShift[j]);
        out.add(new ImageRegion(rect[0], rect[1], rect[2], rect[3], ids.get(k), c[0],
            results[k].windowZ[j], dec.valid ? dec.payload : null));
      } else {
        int r = -1 - j;
        Decoded dec = decodeBoth(patterns.get(k), rects.get(r).fold().tile, rects.get(r).chipSum(), weighted, 0,
            results[k].rectShift[r]);
        out.add(new ImageRegion(area[0], area[1], area[2], area[3], ids.get(k), c[0], results[k].rectZ[r],
            dec.valid ? dec.payload : null));
      }
      if (out.size() == MAX_REGIONS) {
        break;
      }
    }
    return out;
  }

  /**
   * The sync correlation of a tile at one offset (row-major, identity symmetry) over its spread
   * over the key's chip signs, from each sync chip's tent-weighted sum (the chip kernel, as in
   * {@link #decode}); 0 when the spread is nil.
   */
  static double syncZAt(KeyedPattern pattern, double[] tile, int shift) {
    int dy = shift / T;
    int dx = shift % T;
    int c4 = KeyedPattern.CHIP;
    double corr = 0;
    double var = 0;
    for (int c = 0; c < KeyedPattern.CHIPS; c++) {
      if (pattern.role[c] >= 0) {
        continue;
      }
      double s = tentSum(tile, (c % KeyedPattern.GRID) * c4 + dx, (c / KeyedPattern.GRID) * c4 + dy);
      corr += pattern.sign[c] * s;
      var += s * s;
    }
    return var > 0 ? corr / Math.sqrt(var) : 0;
  }

  /**
   * The pasted rectangle's fold leaves out this many pixels along each side off the image border
   * (their residual sees the other picture; 1 and 2 read the same z on average, 4 less on narrow
   * rectangles).
   */
  private static final int PASTED_MARGIN = 1;

  /**
   * A pasted rectangle ({@link Rectangles}) {x0, y0, x1, y1} with its fold (scale 1, no rotation,
   * the pixels inside less {@value #PASTED_MARGIN} along each side off the image border), that
   * fold's spectrum, its own spectral weight (from this fold's power alone: the whole image's folds
   * are mostly the other picture) and chip sums.
   */
  record Pasted(int[] bounds, Fold fold, PairSpectrum spectrum, double[][] weight, double[] chipSum) {
    /** The rectangles' hypotheses (at most one rectangle is traced); none without a chip filter. */
    static List<Pasted> of(float[] r, int w, int h, List<int[]> rects, double[][] chipFilter, Fft fft) {
      if (chipFilter == null) {
        return List.of();
      }
      List<Pasted> out = new ArrayList<>();
      for (int[] q : rects) {
        Fold f = foldRectangle(r, w, h, q);
        List<PairSpectrum> one = spectra(List.of(f), fft);
        double[][] wt = spectralWeight(one);
        out.add(new Pasted(q, f, one.get(0), wt, chipSums(one, 1, chipFilter(wt), fft).get(0)));
      }
      return out;
    }
  }

  /** The fold at scale 1 of the pixels inside {x0, y0, x1, y1} (exclusive ends), less a margin off the picture. */
  static Fold foldRectangle(float[] r, int w, int h, int[] q) {
    int x0 = q[0] + (q[0] > 0 ? PASTED_MARGIN : 0);
    int y0 = q[1] + (q[1] > 0 ? PASTED_MARGIN : 0);
    int x1 = q[2] - (q[2] < w ? PASTED_MARGIN : 0);
    int y1 = q[3] - (q[3] < h ? PASTED_MARGIN : 0);
    float[] acc = new float[TT];
    int[] cnt = new int[TT];
    int[] cx = new int[T];
    for (int x = x0; x < x1; x++) {
      cx[x & (T - 1)]++;
    }
    float[] stage = new float[T];
    float[][] rows = new float[T][T];
    int[] cy = new int[T];
    for (int y = y0; y < y1; y++) {
      int by = y & (T - 1);
      cy[by]++;
      int o = y * w;
      float[] row = rows[by];
      for (int x = x0; x < x1; ) {
        int bin = x & (T - 1);
        int len = Math.min(x1 - x, T - bin);
        addChunk(row, bin, len, r, o + x, stage);
        x += len;
      }
    }
    for (int by = 0; by < T; by++) {
      System.arraycopy(rows[by], 0, acc, by * T, T);
      for (int bx = 0; bx < T; bx++) {
        cnt[by * T + bx] = cy[by] * cx[bx];
      }
    }
    return finishFold(1.0, 0, acc, cnt);
  }

  static final class Fold {
    final double scale;
    final double angle;
    /** The folded residual, row-major. */
    final double[] tile;
    /**
     * For a fold along a picture's outline: where the original's corners are in this image
     * (top-left, top-right, bottom-right, bottom-left; see {@link Outline}) and the original-to-image
     * linear map at the image centre {a, b, c, d}; else null.
     */
    final double[][] outline;
    final double[] local;

    Fold(double scale, double angle, double[] tile) {
      this(scale, angle, tile, null, null);
    }

    Fold(double scale, double angle, double[] tile, double[][] outline, double[] local) {
      this.scale = scale;
      this.angle = angle;
      this.tile = tile;
      this.outline = outline;
      this.local = local;
    }
  }

  /** Pixels this close to the picture's outline see the fill in their residual windows. */
  private static final double OUTLINE_MARGIN = 4;

  /**
   * The fold along a picture's outline: pixel (x, y) goes to bin (floor(u + 0.5), floor(v + 0.5)) mod
   * T of its original coordinates (u, v) = H(x, y), pixels mapping within the margin of the original's
   * border or outside it left out.
   */
  static Fold foldProjective(float[] r, int w, int h, double[][] corners) {
    double[] hm = Outline.homography(corners, w, h);
    float[] acc = new float[TT];
    int[] cnt = new int[TT];
    double umax = w - 1 - OUTLINE_MARGIN;
    double vmax = h - 1 - OUTLINE_MARGIN;
    for (int y = 0; y < h; y++) {
      double nu = hm[1] * y + hm[2];
      double nv = hm[4] * y + hm[5];
      double nd = hm[7] * y + 1;
      int o = y * w;
      for (int x = 0; x < w; x++) {
        double den = hm[6] * x + nd;
        double u = (hm[0] * x + nu) / den;
        double v = (hm[3] * x + nv) / den;
        if (u < OUTLINE_MARGIN || v < OUTLINE_MARGIN || u > umax || v > vmax) {
          continue;
        }
        int bin = ((((int) (v + 0.5)) & (T - 1)) << LOG_T) | (((int) (u + 0.5)) & (T - 1));
        acc[bin] += r[o + x];
        cnt[bin]++;
      }
    }
    // The original-to-image map at the image centre: the inverse of H's Jacobian there.
    double x0 = (w - 1) / 2.0;
    double y0 = (h - 1) / 2.0;
    double den = hm[6] * x0 + hm[7] * y0 + 1;
    double u0 = (hm[0] * x0 + hm[1] * y0 + hm[2]) / den;
    double v0 = (hm[3] * x0 + hm[4] * y0 + hm[5]) / den;
    double ja = (hm[0] - u0 * hm[6]) / den;
    double jb = (hm[1] - u0 * hm[7]) / den;
    double jc = (hm[3] - v0 * hm[6]) / den;
    double jd = (hm[4] - v0 * hm[7]) / den;
    double det = ja * jd - jb * jc;
    double[] local = {jd / det, -jb / det, -jc / det, ja / det};
    double scale = Math.sqrt(Math.abs(local[0] * local[3] - local[1] * local[2]));
    double degrees = Math.toDegrees(Math.atan2(local[2], local[0]));
    return new Fold(scale, degrees, finishFold(scale, degrees, acc, cnt).tile, corners, local);
  }

  /**
   * The 2-D spectrum of {@code tile(first) + i tile(second)} for two folds (second is -1 for a
   * single fold), transposed ({@code re[kx][ky]}). Because both tiles and the sync template are
   * real, one inverse transform of its product with the template's conjugate spectrum gives the
   * first fold's circular cross-correlation as real part and the second's as imaginary part, so
   * the search costs one forward and one inverse transform per two folds instead of per fold.
   */
  static final class PairSpectrum {
    final int first;
    final int second;
    final double[][] re;
    final double[][] im;

    PairSpectrum(int first, int second, double[][] re, double[][] im) {
      this.first = first;
      this.second = second;
      this.re = re;
      this.im = im;
    }
  }

  static List<PairSpectrum> spectra(List<Fold> folds, Fft fft) {
    List<PairSpectrum> out = new ArrayList<>();
    double[][] re = new double[T][T];
    double[][] im = new double[T][T];
    for (int f = 0; f < folds.size(); f += 2) {
      double[] a = folds.get(f).tile;
      double[] b = f + 1 < folds.size() ? folds.get(f + 1).tile : null;
      double[][] tr = new double[T][T];
      double[][] ti = new double[T][T];
      for (int y = 0; y < T; y++) {
        int o = y * T;
        for (int x = 0; x < T; x++) {
          tr[x][y] = a[o + x];
          ti[x][y] = b == null ? 0 : b[o + x];
        }
      }
      fft.transform2dTransposed(tr, ti, re, im, false);
      Fft.transpose(re, tr);
      Fft.transpose(im, ti);
      out.add(new PairSpectrum(f, b == null ? -1 : f + 1, tr, ti));
    }
    return out;
  }

  private static final class KeyResult {
    double p = 1;
    double z = Double.NEGATIVE_INFINITY;
    double scale = 1;
    double angle;
    /** The best fold's outline and local map ({@link Fold}), or null. */
    double[][] outline;
    double[] local;
    int symmetry;
    byte[] payload;
    boolean valid;
    int codedErrors = -1;
    byte[] rawPayload;
    /** Per localisation window: p-value (window share of alpha), z-score and best offset. */
    double[] windowP = new double[0];
    double[] windowZ = new double[0];
    int[] windowShift = new int[0];
    /** Per pasted rectangle: p-value (its share of alpha), z-score and best offset. */
    double[] rectP = new double[0];
    double[] rectZ = new double[0];
    int[] rectShift = new int[0];

    /**
     * Tile-to-image map {a, b, c, d} ((x, y) = (a u + b v, c u + d v) about the image centre):
     * {@code s R(angle) G^T}, where the folded tile read at u equals the key's tile at G u.
     */
    double[] transform() {
      double rad = Math.toRadians(angle);
      double c = Math.cos(rad) * scale;
      double s = Math.sin(rad) * scale;
      // M = s R(angle) = [[c, -s], [s, c]], or the outline's local map.
      double[] m = local != null ? local : new double[] {c, -s, s, c};
      int[] g = symmetryMatrix(symmetry);
      // M G^T, with G^T = [[g0, g2], [g1, g3]].
      return new double[] {m[0] * g[0] + m[1] * g[1], m[0] * g[2] + m[1] * g[3],
          m[2] * g[0] + m[3] * g[1], m[2] * g[2] + m[3] * g[3]};
    }

    boolean mirrored() {
      double[] t = transform();
      return t[0] * t[3] - t[1] * t[2] < 0;
    }

    /** Rotation in degrees (after a horizontal flip when mirrored), in (-180, 180]. */
    double rotation() {
      double[] t = transform();
      double deg = mirrored() ? Math.toDegrees(Math.atan2(-t[2], -t[0])) : Math.toDegrees(Math.atan2(t[2], t[0]));
      deg = Math.round(deg * 1e6) / 1e6;
      return deg <= -180 ? deg + 360 : deg;
    }
  }

  /** Matrix {g0, g1, g2, g3} (row-major) of symmetry {@code k}: bit 2 swaps x and y, bit 0 negates x, bit 1 y. */
  static int[] symmetryMatrix(int k) {
    int sx = (k & 1) == 0 ? 1 : -1;
    int sy = (k & 2) == 0 ? 1 : -1;
    return (k & 4) == 0 ? new int[] {sx, 0, 0, sy} : new int[] {0, sx, sy, 0};
  }

  /** {@code out(x, y) = tile(G (x, y))} (mod T) for symmetry {@code k}. */
  static double[] applySymmetry(double[] tile, int k) {
    if (k == 0) {
      return tile;
    }
    int[] g = symmetryMatrix(k);
    double[] out = new double[TT];
    for (int y = 0; y < T; y++) {
      for (int x = 0; x < T; x++) {
        int gx = (g[0] * x + g[1] * y) & (T - 1);
        int gy = (g[2] * x + g[3] * y) & (T - 1);
        out[y * T + x] = tile[gy * T + gx];
      }
    }
    return out;
  }

  /**
   * Correlates every fold, under each of the 8 symmetries of the tile, with the key's sync pattern.
   * The spectrum of {@code tile(G u)} is the spectrum of the tile read at {@code G k} (G is
   * orthogonal), so each symmetry is a re-indexing of the fold's spectrum and one inverse transform.
   * The p-value is a weighted Bonferroni bound over all (fold, symmetry, offset) hypotheses: the
   * first {@code legacy} folds without a symmetry (exactly the version-1 search) share
   * {@link #LEGACY_WEIGHT} of alpha, all other hypotheses the rest, so marks found by the version-1
   * search lose at most a factor 2 of p-value while flips, quarter turns, large rotations and
   * lattice-estimated geometries are covered.
   */
  private KeyResult detectKey(KeyedPattern pattern, List<Fold> folds, int legacy, int identity,
      List<PairSpectrum> spectra, List<double[]> chipSums, double[][] weight, Windows windows, List<Pasted> rects,
      Fft fft) {
    int n = folds.size();
    int hyps = n * DIHEDRAL;
    double[] zs = new double[hyps];
    int[] shifts = new int[hyps];
    double[][] zr = new double[T][T];
    double[][] zi = new double[T][T];
    double[][] cr = new double[T][T];
    double[][] ci = new double[T][T];
    int[] offsets = new int[PEAK_OFFSETS];
    for (PairSpectrum pair : spectra) {
      for (int g = 0; g < DIHEDRAL; g++) {
        crossSpectrum(pattern.syncRe, pattern.syncIm, pair, g, weight, zr, zi);
        fft.transform2dTransposed(zr, zi, cr, ci, true);
        peak(pattern, cr, chipSums.get(pair.first), g, pair.first * DIHEDRAL + g, zs, shifts, offsets);
        if (pair.second >= 0) {
          peak(pattern, ci, chipSums.get(pair.second), g, pair.second * DIHEDRAL + g, zs, shifts, offsets);
        }
      }
    }
    // Localisation windows: scale 1, no rotation, identity symmetry only.
    int nw = windows.size();
    double[] wz = new double[nw];
    int[] wshift = new int[nw];
    windows.scan(pattern, weight, fft, PEAK_OFFSETS, wz, wshift);
    // The pasted rectangle: scale 1, no rotation, identity symmetry only, its own spectral weight.
    int nr = rects.size();
    double[] rz = new double[nr];
    int[] rshift = new int[nr];
    for (int j = 0; j < nr; j++) {
      Pasted q = rects.get(j);
      crossSpectrum(pattern.syncRe, pattern.syncIm, q.spectrum(), 0, q.weight(), zr, zi);
      fft.transform2dTransposed(zr, zi, cr, ci, true);
      peak(pattern, cr, q.chipSum(), 0, j, rz, rshift, offsets);
    }
    // Weighted Bonferroni: each family's share of alpha split evenly over its hypotheses.
    boolean hasIdentity = identity >= 0;
    double idWeight = IDENTITY_WEIGHT + (nw == 0 ? WINDOW_WEIGHT : 0);
    double legacyWeight = LEGACY_WEIGHT + (hasIdentity ? 0 : idWeight);
    int legacyOthers = legacy - (hasIdentity ? 1 : 0);
    double identityFactor = TT / idWeight;
    double legacyFactor = TT * (double) Math.max(1, legacyOthers) / legacyWeight;
    // The identity fold's other symmetries have their own share; without that fold it goes to the others.
    int symmetries = hasIdentity ? DIHEDRAL - 1 : 0;
    double symmetryFactor = TT * (double) symmetries / SYMMETRY_WEIGHT;
    double otherWeight = OTHER_WEIGHT + (hasIdentity ? 0 : SYMMETRY_WEIGHT);
    double otherFactor = TT * (double) Math.max(1, hyps - legacy - symmetries) / otherWeight;
    // A pasted rectangle (found from the image alone) takes its share from the windows'.
    double windowFactor = TT * (double) nw / (WINDOW_WEIGHT - (nr > 0 ? PASTED_WEIGHT : 0));
    double pastedFactor = TT * (double) Math.max(1, nr) / PASTED_WEIGHT;
    int all = hyps + nw + nr;
    double[] ps = new double[all];
    double[] zAll = Arrays.copyOf(zs, all);
    int[] shiftAll = Arrays.copyOf(shifts, all);
    Integer[] order = new Integer[all];
    for (int i = 0; i < hyps; i++) {
      order[i] = i;
      boolean old = i % DIHEDRAL == 0 && i / DIHEDRAL < legacy;
      double factor = old ? (i / DIHEDRAL == identity ? identityFactor : legacyFactor)
          : i / DIHEDRAL == identity ? symmetryFactor : otherFactor;
      ps[i] = Math.min(1, factor * SIGN_SUM_TAIL * Stats.upperTail(zs[i]));
    }
    KeyResult kr = new KeyResult();
    kr.windowP = new double[nw];
    kr.windowZ = wz;
    kr.windowShift = wshift;
    for (int j = 0; j < nw; j++) {
      order[hyps + j] = hyps + j;
      ps[hyps + j] = Math.min(1, windowFactor * SIGN_SUM_TAIL * Stats.upperTail(wz[j]));
      zAll[hyps + j] = wz[j];
      shiftAll[hyps + j] = wshift[j];
      kr.windowP[j] = ps[hyps + j];
    }
    for (int j = 0; j < nr; j++) {
      int i = hyps + nw + j;
      order[i] = i;
      ps[i] = Math.min(1, pastedFactor * SIGN_SUM_TAIL * Stats.upperTail(rz[j]));
      zAll[i] = rz[j];
      shiftAll[i] = rshift[j];
    }
    kr.rectP = Arrays.copyOfRange(ps, hyps + nw, all);
    kr.rectZ = rz;
    kr.rectShift = rshift;
    // Smallest p first; ties (p = 1, or underflow to 0) by larger z.
    Arrays.sort(order, (a, b) -> ps[a] != ps[b] ? Double.compare(ps[a], ps[b]) : Double.compare(zAll[b], zAll[a]));
    int top = order[0];
    kr.z = zAll[top];
    kr.scale = top < hyps ? folds.get(top / DIHEDRAL).scale : 1;
    kr.angle = top < hyps ? folds.get(top / DIHEDRAL).angle : 0;
    kr.outline = top < hyps ? folds.get(top / DIHEDRAL).outline : null;
    kr.local = top < hyps ? folds.get(top / DIHEDRAL).local : null;
    kr.symmetry = top < hyps ? top % DIHEDRAL : 0;
    double pSync = ps[top];
    int decodes = Math.min(DECODES, all);
    double pMac = 1;
    for (int d = 0; d < decodes; d++) {
      int hyp = order[d];
      boolean isRect = hyp >= hyps + nw;
      Windows.Window win = hyp < hyps || isRect ? null : windows.list.get(hyp - hyps);
      Fold fold = hyp < hyps ? folds.get(hyp / DIHEDRAL)
          : isRect ? rects.get(hyp - hyps - nw).fold() : new Fold(1.0, 0, windows.fold(win));
      int sym = hyp < hyps ? hyp % DIHEDRAL : 0;
      double[] chipSum = hyp < hyps ? chipSums.get(hyp / DIHEDRAL)
          : isRect ? rects.get(hyp - hyps - nw).chipSum() : windows.chipSum(win);
      Decoded dec = decodeBoth(pattern, fold.tile, chipSum, weight != null, sym, shiftAll[hyp]);
      if (dec.valid) {
        pMac = Math.min(1, READS * decodes * Math.pow(2, -32));
        kr.payload = dec.payload;
        kr.valid = true;
        kr.rawPayload = dec.payload;
        kr.codedErrors = dec.codedErrors;
        kr.scale = fold.scale;
        kr.angle = fold.angle;
        kr.outline = fold.outline;
        kr.local = fold.local;
        kr.symmetry = sym;
        kr.z = Math.max(kr.z, zAll[hyp]);
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

  /**
   * Spectral weight of the sync correlation (detector 1.4): at tile frequency k,
   * {@code H(k) / max(P(k), median(P) / 16)}, where P is the mean power of the whole-image folds at k
   * (a pair spectrum holds two folds, whose powers add up as |Z(k)|^2 + |Z(-k)|^2) smoothed over 5x5
   * frequencies, and H the response of the residual's high-pass (Y less its 5x5 mean) at scale 1:
   * the matched filter for the mark (whose spectrum the high-pass shapes) in the picture's coloured
   * noise, which is most of the folds' power. The floor keeps a few quiet frequencies from carrying
   * the whole correlation. The weight is real, even, the same for every fold and key, and computed
   * from the image alone, so the correlation stays a weighted sum of the key's random chip signs and
   * its bound (see {@link #peak}) holds whatever the weight. Null when there is no fold.
   */
  static double[][] spectralWeight(List<PairSpectrum> spectra) {
    if (spectra.isEmpty()) {
      return null;
    }
    double[][] pw = new double[T][T];
    for (PairSpectrum pair : spectra) {
      for (int a = 0; a < T; a++) {
        int na = (-a) & (T - 1);
        double[] re = pair.re[a];
        double[] im = pair.im[a];
        double[] nre = pair.re[na];
        double[] nim = pair.im[na];
        double[] out = pw[a];
        for (int b = 0; b < T; b++) {
          int nb = (-b) & (T - 1);
          out[b] += re[b] * re[b] + im[b] * im[b] + nre[nb] * nre[nb] + nim[nb] * nim[nb];
        }
      }
    }
    double[][] tmp = new double[T][T];
    for (int a = 0; a < T; a++) {
      for (int b = 0; b < T; b++) {
        double s = 0;
        for (int j = -2; j <= 2; j++) {
          s += pw[a][(b + j) & (T - 1)];
        }
        tmp[a][b] = s;
      }
    }
    double[][] smooth = new double[T][T];
    double[] sorted = new double[TT];
    for (int a = 0; a < T; a++) {
      for (int b = 0; b < T; b++) {
        double s = 0;
        for (int i = -2; i <= 2; i++) {
          s += tmp[(a + i) & (T - 1)][b];
        }
        smooth[a][b] = s / 25;
        sorted[a * T + b] = s / 25;
      }
    }
    Arrays.sort(sorted);
    double floor = sorted[TT / 2] / WEIGHT_FLOOR + Double.MIN_NORMAL;
    double[][] w = new double[T][T];
    for (int a = 0; a < T; a++) {
      for (int b = 0; b < T; b++) {
        w[a][b] = highPassResponse(a, b) / Math.max(smooth[a][b], floor);
      }
    }
    w[0][0] = 0;
    return w;
  }

  /** Response of the residual's high-pass (Y less its 5x5 mean) at tile frequency (a, b), scale 1. */
  static double highPassResponse(int a, int b) {
    return 1 - box5(a) * box5(b);
  }

  private static double box5(int k) {
    int kk = k >= T / 2 ? k - T : k;
    if (kk == 0) {
      return 1;
    }
    double f = Math.PI * kk / T;
    return Math.sin(5 * f) / (5 * Math.sin(f));
  }

  /**
   * {@code out = weight(G k) x spectrum of tile(G u) x conj(pattern spectrum)} for symmetry {@code g}
   * (no weight when {@code weight} is null), transposed like both spectra; its inverse transform is
   * the circular cross-correlation of the (weighted) tile with the pattern.
   */
  static void crossSpectrum(double[][] sre, double[][] sim, PairSpectrum pair, int g, double[][] weight,
      double[][] zr, double[][] zi) {
    int[] m = symmetryMatrix(g);
    for (int kx = 0; kx < T; kx++) {
      double[] sr = sre[kx];
      double[] si = sim[kx];
      double[] or = zr[kx];
      double[] oi = zi[kx];
      if (g == 0) {
        double[] far = pair.re[kx];
        double[] fai = pair.im[kx];
        double[] wt = weight == null ? null : weight[kx];
        for (int ky = 0; ky < T; ky++) {
          double ar = far[ky];
          double ai = fai[ky];
          double br = sr[ky];
          double bi = -si[ky];
          double f = wt == null ? 1 : wt[ky];
          or[ky] = (ar * br - ai * bi) * f;
          oi[ky] = (ar * bi + ai * br) * f;
        }
      } else {
        for (int ky = 0; ky < T; ky++) {
          int gx = (m[0] * kx + m[1] * ky) & (T - 1);
          int gy = (m[2] * kx + m[3] * ky) & (T - 1);
          double ar = pair.re[gx][gy];
          double ai = pair.im[gx][gy];
          double br = sr[ky];
          double bi = -si[ky];
          double f = weight == null ? 1 : weight[gx][gy];
          or[ky] = (ar * br - ai * bi) * f;
          oi[ky] = (ar * bi + ai * br) * f;
        }
      }
    }
  }

  /**
   * The standardised sync correlation of one (fold, symmetry) at the {@value #PEAK_OFFSETS} offsets
   * where the raw correlation is largest; the largest of these z and its offset. The correlation at
   * offset t is {@code sum over sync chips c of sign_c v(G (4c + t))}, where v is the (weighted)
   * fold filtered by the chip kernel ({@code chipSum}) and G the symmetry; over the key's random
   * chip signs, given the fold, it is a weighted sum of random signs with variance
   * {@code sum over sync chips of v(G (4c + t))^2}, whatever the image. {@code c} holds the
   * correlation scaled by TT (unnormalised inverse transform). Which offsets are looked at does not
   * matter for the bound, which charges every offset.
   */
  private static void peak(KeyedPattern pattern, double[][] c, double[] chipSum, int g, int f, double[] zs,
      int[] shifts, int[] top) {
    int k = top.length;
    double[] val = new double[k];
    Arrays.fill(val, Double.NEGATIVE_INFINITY);
    Arrays.fill(top, -1);
    for (int y = 0; y < T; y++) {
      double[] row = c[y];
      for (int x = 0; x < T; x++) {
        double v = row[x];
        if (v > val[k - 1]) {
          offerTop(v, y * T + x, val, top);
        }
      }
    }
    double best = 0;
    int arg = top[0];
    ChipValues scratch = new ChipValues();
    for (int i = 0; i < k && top[i] >= 0 && val[i] > 0; i++) {
      double z = statistic(pattern, g, top[i], val[i] / TT, chipSum, scratch);
      if (z > best) {
        best = z;
        arg = top[i];
      }
    }
    zs[f] = best;
    shifts[f] = arg;
  }

  /**
   * The chips at one offset, in the order of {@link KeyedPattern#mapped} (sync chips, then payload
   * chips, each in chip order): where each chip's centre falls in the tile, and the value v_c read
   * there. Reused across offsets.
   */
  static final class ChipValues {
    /** Row-major tile index of each chip's centre, after {@link #locate}. */
    final int[] at = new int[KeyedPattern.CHIPS];
    /** The chips' values v_c. */
    final double[] v = new double[KeyedPattern.CHIPS];

    /** Places the chips of {@code pattern} at offset t (row-major) under symmetry g: G (p + t) mod T. */
    ChipValues locate(KeyedPattern pattern, int g, int offset) {
      int dx = offset % T;
      int dy = offset / T;
      int[] m = symmetryMatrix(g);
      // G (p + t) = G p + G t (mod T), with G p precomputed per chip.
      int gx = m[0] * dx + m[1] * dy;
      int gy = m[2] * dx + m[3] * dy;
      int[] mp = pattern.mapped[g];
      for (int c = 0; c < at.length; c++) {
        at[c] = ((mp[2 * c + 1] + gy) & (T - 1)) * T + ((mp[2 * c] + gx) & (T - 1));
      }
      return this;
    }

    /** Reads each chip's value from a fold's chip sums at the located positions. */
    ChipValues gather(double[] chipSum) {
      for (int c = 0; c < at.length; c++) {
        v[c] = chipSum[at[c]];
      }
      return this;
    }
  }

  /**
   * Keeps the largest values offered so far in {@code val} (largest first) and their offsets in
   * {@code top}: inserts {@code v} at offset {@code t}, dropping the smallest. The caller offers only
   * values above {@code val[val.length - 1]}, the returned bar, so the scan's common step is one test.
   */
  static double offerTop(double v, int t, double[] val, int[] top) {
    int i = val.length - 1;
    while (i > 0 && val[i - 1] < v) {
      val[i] = val[i - 1];
      top[i] = top[i - 1];
      i--;
    }
    val[i] = v;
    top[i] = t;
    return val[val.length - 1];
  }

  /**
   * Weight of the payload-chip pairs against the sync chips (detector 1.8), in units of the chips'
   * RMS value: the chip signal-to-noise ratio at which the sync chips alone reach z of about 7
   * (16 x 0.45), the detection limit, where the pairs' share is optimal (each pair carries the
   * square of that ratio).
   */
  static final double PAIR_WEIGHT = 0.45;

  /**
   * The detection statistic at offset t (row-major index) of a fold under symmetry g, with sync
   * correlation {@code corr} and chip sums {@code chipSum} (detector 1.8, spec step 6): with
   * {@code v_c = v(G (4c + t))}, {@code (corr + l E) / sqrt(V + l^2 Q)}, where V is the sum of
   * {@code v_c^2} over the sync chips, E the sum over the key's payload-chip pairs (a, b) of
   * {@code sign_a sign_b v_a v_b}, Q the sum of {@code (v_a v_b)^2}, and {@code l = PAIR_WEIGHT / rms},
   * rms the root mean square of v_c over all 1024 chips. For a key that did not mark the image the
   * sync signs and the pairs' sign products are independent fair coin flips given v (and so given
   * l, which uses no sign): the statistic is a weighted sum of random signs whose weights' squares
   * sum to 1, as before. For a marked image each pair adds the square of the chip's amplitude
   * whatever the payload. 0 when V is nil (no live bin under any sync chip). {@code scratch} holds
   * the chips' values afterwards.
   */
  static double statistic(KeyedPattern pattern, int g, int offset, double corr, double[] chipSum,
      ChipValues scratch) {
    return statistic(pattern, corr, scratch.locate(pattern, g, offset).gather(chipSum));
  }

  /** {@link #statistic} of the chips' values at the offset. */
  static double statistic(KeyedPattern pattern, double corr, ChipValues chips) {
    double[] v = chips.v;
    double var = 0;
    for (int c = 0; c < KeyedPattern.SYNC_CHIPS; c++) {
      var += v[c] * v[c];
    }
    if (!(var > 0)) {
      return 0;
    }
    double all = var;
    for (int c = KeyedPattern.SYNC_CHIPS; c < v.length; c++) {
      all += v[c] * v[c];
    }
    double e = 0;
    double q = 0;
    for (int k = 0; k < pattern.pairA.length; k++) {
      double prod = v[pattern.pairA[k]] * v[pattern.pairB[k]];
      e += pattern.pairSign[k] * prod;
      q += prod * prod;
    }
    double l = PAIR_WEIGHT / Math.sqrt(all / KeyedPattern.CHIPS);
    return (corr + l * e) / Math.sqrt(var + l * l * q);
  }

  /** {@link #statistic} of a fold's chip sums. */
  static double standardise(KeyedPattern pattern, double[] chipSum, int g, int offset, double corr) {
    return statistic(pattern, g, offset, corr, chipSum, new ChipValues());
  }

  /**
   * The standardised sync correlation of one fold under symmetry g at every offset (row-major), as
   * the search computes it; and, in {@code plain} when not null, the statistic of detectors 1.0 to
   * 1.3 ((value - mean) / standard deviation over the offsets). For tests.
   */
  static double[] syncScores(KeyedPattern pattern, Fold fold, int g, double[][] weight, Fft fft, double[] plain) {
    List<PairSpectrum> spectra = spectra(List.of(fold), fft);
    double[] chipSum = chipSums(spectra, 1, chipFilter(weight), fft).get(0);
    double[][] zr = new double[T][T];
    double[][] zi = new double[T][T];
    double[][] cr = new double[T][T];
    double[][] ci = new double[T][T];
    crossSpectrum(pattern.syncRe, pattern.syncIm, spectra.get(0), g, weight, zr, zi);
    fft.transform2dTransposed(zr, zi, cr, ci, true);
    double[] out = new double[TT];
    double sum = 0;
    double sum2 = 0;
    for (int t = 0; t < TT; t++) {
      double c = cr[t / T][t % T] / TT;
      out[t] = standardise(pattern, chipSum, g, t, c);
      sum += c;
      sum2 += c * c;
    }
    if (plain != null) {
      double mean = sum / TT;
      double sd = Math.sqrt(Math.max(1e-300, sum2 / TT - mean * mean));
      for (int t = 0; t < TT; t++) {
        plain[t] = (cr[t / T][t % T] / TT - mean) / sd;
      }
    }
    return out;
  }

  /**
   * Filter taking a fold's spectrum to that of v, the fold weighted by {@code weight} and filtered
   * by the chip kernel ({@code weight(k) K(k)}; both real and even).
   */
  static double[][] chipFilter(double[][] weight) {
    double[][] k = KeyedPattern.chipKernelSpectrum();
    if (weight != null) {
      for (int a = 0; a < T; a++) {
        for (int b = 0; b < T; b++) {
          k[a][b] *= weight[a][b];
        }
      }
    }
    return k;
  }

  /**
   * For each fold, v: the fold filtered by {@code filter} (the spectral weight times the chip
   * kernel), row-major; {@code v(4c + t)} is what sync chip c contributes, times its sign, to the
   * correlation at offset t. The filter is real and even, so the two folds of a pair come out as
   * the real and the imaginary part of one inverse transform.
   */
  static List<double[]> chipSums(List<PairSpectrum> spectra, int folds, double[][] filter, Fft fft) {
    double[][] out = new double[folds][];
    double[][] zr = new double[T][T];
    double[][] zi = new double[T][T];
    double[][] vr = new double[T][T];
    double[][] vi = new double[T][T];
    double scale = 1.0 / TT;
    for (PairSpectrum pair : spectra) {
      for (int kx = 0; kx < T; kx++) {
        double[] f = filter[kx];
        double[] ar = pair.re[kx];
        double[] ai = pair.im[kx];
        double[] or = zr[kx];
        double[] oi = zi[kx];
        for (int ky = 0; ky < T; ky++) {
          or[ky] = ar[ky] * f[ky] * scale;
          oi[ky] = ai[ky] * f[ky] * scale;
        }
      }
      fft.transform2dTransposed(zr, zi, vr, vi, true);
      double[] a = new double[TT];
      for (int y = 0; y < T; y++) {
        System.arraycopy(vr[y], 0, a, y * T, T);
      }
      out[pair.first] = a;
      if (pair.second >= 0) {
        double[] b = new double[TT];
        for (int y = 0; y < T; y++) {
          System.arraycopy(vi[y], 0, b, y * T, T);
        }
        out[pair.second] = b;
      }
    }
    return Arrays.asList(out);
  }

  private static final class Decoded {
    byte[] payload;
    boolean valid;
    int codedErrors;
  }

  /** Payload reads per decoded hypothesis: the weighted fold, then the fold as it is. */
  private static final int READS = 2;

  /**
   * Reads the payload from the fold filtered by the spectral weight and, when its keyed check
   * fails, from the fold as it is (each can succeed where the other fails: the weight favours the
   * quiet frequencies, the plain read the strong ones); the weighted read's result when neither
   * matches. Both reads count in p_mac. The weighted read takes each chip's matched-filter sum from
   * {@code chipSum} (see {@link #chipSums}), which the sync statistic computed already; without a
   * weight that is the plain read, made once.
   */
  private static Decoded decodeBoth(KeyedPattern pattern, double[] tile, double[] chipSum, boolean weighted,
      int sym, int shift) {
    Decoded first = decodeSoft(pattern, payloadSoft(pattern, chipSum, sym, shift));
    if (first.valid || !weighted) {
      return first;
    }
    Decoded plain = decode(pattern, applySymmetry(tile, sym), shift);
    return plain.valid ? plain : first;
  }

  /**
   * Soft value per coded bit: the sum over the bit's chips of sign x {@code chipSum(G (4c + t))}, the
   * chip's matched-filter sum in the fold read under symmetry g at offset t (as in {@link #standardise}).
   */
  private static double[] payloadSoft(KeyedPattern pattern, double[] chipSum, int g, int shift) {
    int[] m = symmetryMatrix(g);
    int dx = shift % T;
    int dy = shift / T;
    double[] soft = new double[KeyedPattern.CODED_BITS];
    for (int c = 0; c < KeyedPattern.CHIPS; c++) {
      int role = pattern.role[c];
      if (role < 0) {
        continue;
      }
      int x = (c % KeyedPattern.GRID) * KeyedPattern.CHIP + dx;
      int y = (c / KeyedPattern.GRID) * KeyedPattern.CHIP + dy;
      int gx = (m[0] * x + m[1] * y) & (T - 1);
      int gy = (m[2] * x + m[3] * y) & (T - 1);
      soft[role] += pattern.sign[c] * chipSum[gy * T + gx];
    }
    return soft;
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
      int cx = (c % KeyedPattern.GRID) * c4 + dx;
      int cy = (c / KeyedPattern.GRID) * c4 + dy;
      soft[role] += pattern.sign[c] * tentSum(tile, cx, cy);
    }
    return decodeSoft(pattern, soft);
  }

  /** The chip kernel's (tent's) weighted sum of the tile around (cx, cy), cyclically. */
  private static double tentSum(double[] tile, int cx, int cy) {
    int c4 = KeyedPattern.CHIP;
    double s = 0;
    for (int j = -c4 + 1; j < c4; j++) {
      double wy = 1 - Math.abs(j) / (double) c4;
      int row = ((cy + j) & (T - 1)) * T;
      for (int i = -c4 + 1; i < c4; i++) {
        s += wy * (1 - Math.abs(i) / (double) c4) * tile[row + ((cx + i) & (T - 1))];
      }
    }
    return s;
  }

  /** Viterbi-decodes the soft values of the coded bits and checks the payload's keyed check. */
  private static Decoded decodeSoft(KeyedPattern pattern, double[] soft) {
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

  /**
   * The residual the search folds: the band-pass residual (luminance less its 5x5 mean); for a colour
   * image (detector 1.6), less its prediction from the colour differences ({@link #removeColourPrediction});
   * divided by its local RMS (over 5x5) plus 1 and clipped to +-3, so that textures do not dominate
   * and every pixel's noise is about the same; then (detector 1.5) weighted by the mark's expected
   * amplitude there on that scale, {@code mask / (local RMS + 1)}. Embedder 1.0 scaled the pattern by
   * that texture mask ({@link #mask}), which the detector recomputes from the image under test; after
   * the division the mark's amplitude at a pixel was proportional to that weight, and weighting each
   * pixel by it is the matched filter for noise of equal variance. Embedder 1.1 scales by the mask's
   * square root; the weight is kept: with it, 1.1's marks are found within one photo per attack
   * of what the root's weight finds, and 1.0's exactly as before. It gives flat and moderately
   * textured areas, where the mark stands out, more say than busy texture, where it is buried. The
   * prediction and the weight come from the image alone, so the sync statistic's bound holds as
   * before. {@code chroma} is null for gray and CMYK images.
   */
  static float[] whiten(float[] y, int w, int h, Luma.Chroma chroma) {
    return residual(y, w, h, chroma, mask(y, w, h, 1));
  }

  /**
   * Step 1 on {@code y}, which it overwrites (a fresh luminance plane: at most four planes alive on
   * large images) and returns: {@code clamp(r / d, -3, 3) x (m / d)}, with the colour step when
   * {@code chroma} is not null, and {@code clamp(r / d, -3, 3) / d} when {@code m} is null (the
   * half-resolution residual, {@link Half}).
   */
  private static float[] residual(float[] y, int w, int h, Luma.Chroma chroma, float[] m) {
    float[] e = Filters.box(y, w, h, 2);
    for (int i = 0; i < y.length; i++) {
      float v = y[i] - e[i];
      y[i] = v;
      e[i] = v * v;
    }
    if (chroma != null) {
      removeColourPrediction(y, e, w, h, chroma);
    }
    Filters.boxInPlace(e, w, h, 2);
    if (m == null) {
      for (int i = 0; i < y.length; i++) {
        float d = rootPlusOne(e[i]);
        y[i] = clamp3(y[i] / d) / d;
      }
    } else {
      for (int i = 0; i < y.length; i++) {
        float d = rootPlusOne(e[i]);
        y[i] = clamp3(y[i] / d) * (m[i] / d);
      }
    }
    return y;
  }

  /*
   * Step 1's last line, d = 1 + sqrt(max(0, e)) and clamp(r / d, -3, 3), with the clamps as
   * comparisons: the same floats as Math.max(0f, e) and Math.max(-3f, Math.min(3f, q)) (e is never
   * NaN here; -0.0 and a NaN q come out alike), at a fraction of the cost on Java 17, whose Math.max
   * and Math.min for floats are not intrinsics (about 20 ms of a 1920x1080 detection).
   */
  private static float rootPlusOne(float e) {
    return (float) (Math.sqrt(e > 0f ? e : 0f) + 1.0);
  }

  private static float clamp3(float q) {
    return q < -3f ? -3f : q > 3f ? 3f : q;
  }

  /** Radius, in 2x2 blocks, of the window over which luminance is regressed on colour (10x10 pixels). */
  static final int COLOUR_BLOCKS = 2;
  /** Added to each colour difference's mean square: a colour band-pass under this (level^2) has no say. */
  private static final float COLOUR_RIDGE = 0.5f;
  /** Rows per band of the colour regression (the planes it needs are band-sized). */
  static final int COLOUR_BAND = 256;

  /**
   * Detector 1.6: removes from the luminance band-pass {@code hp} the part its local colour texture
   * predicts. Textured pictures change colour where they change brightness (edges, foliage, fabric);
   * the watermark changes brightness alone (the same amount on every channel), so the colour
   * differences' band-passes ({@link Luma.Chroma}, less their 5x5 means) carry the picture's texture
   * and none of the mark. The image is cut into 2x2 blocks from its top-left corner; for each block,
   * {@code hp} is regressed on the two band-passes over the 5x5 blocks around it (10x10 pixels; ridge
   * {@value #COLOUR_RIDGE} times the pixel count on each sum of squares), and the fit is subtracted
   * from the block's pixels. (A window centred on every pixel did as well on the photo sets and cost
   * twice as much.) Pixels where a colour sample clips (0 or its maximum) are left out of the fit:
   * there the mark does change colour. Two coefficients fitted over 100 pixels take about 3% of the
   * mark's power; on textured photos the residual's noise falls by far more. Rows are processed in
   * bands of {@value #COLOUR_BAND} with enough overlap that every pixel sees its whole windows. On
   * return, {@code hp} holds the corrected band-pass and {@code sq} its square.
   */
  static void removeColourPrediction(float[] hp, float[] sq, int w, int h, Luma.Chroma chroma) {
    removeColourPrediction(hp, sq, w, h, chroma, COLOUR_BAND);
  }

  /** {@link #removeColourPrediction(float[], float[], int, int, Luma.Chroma)} in bands of {@code band} rows. */
  static void removeColourPrediction(float[] hp, float[] sq, int w, int h, Luma.Chroma chroma, int band) {
    band += band & 1; // whole 2x2 blocks in every band
    // The colour band-pass (radius 2), then the regression's blocks (radius COLOUR_BLOCKS, 2 pixels each).
    int halo = 2 + 2 * COLOUR_BLOCKS + 2;
    int most = (Math.min(band, h) + 2 * halo) * w;
    float[] cb = new float[most];
    float[] cr = new float[most];
    boolean[] clipped = new boolean[most];
    float[] mb = new float[most];
    float[] mr = new float[most];
    float[] tmp = new float[most];
    int bw = (w + 1) / 2;
    int mostBlocks = ((Math.min(band, h) + 2 * halo) / 2 + 1) * bw;
    float[] sbb = new float[mostBlocks];
    float[] srr = new float[mostBlocks];
    float[] sbr = new float[mostBlocks];
    float[] sby = new float[mostBlocks];
    float[] sry = new float[mostBlocks];
    // The five per-block sums, each zeroed and box-summed alike.
    float[][] sums = {sbb, srr, sbr, sby, sry};
    float[] btmp = new float[mostBlocks];
    float[] across2 = Filters.reciprocalCounts(w, 2);
    // Pixels across the 5x5 blocks around block column b: 2 per block, the last block of an odd width 1.
    int[] acrossBlocks = new int[bw];
    for (int b = 0; b < bw; b++) {
      acrossBlocks[b] = Math.min(w, 2 * (b + COLOUR_BLOCKS + 1)) - Math.max(0, 2 * (b - COLOUR_BLOCKS));
    }
    for (int y0 = 0; y0 < h; y0 += band) {
      int y1 = Math.min(h, y0 + band);
      int lo = Math.max(0, y0 - halo); // even: y0 and halo are
      int hi = Math.min(h, y1 + halo);
      int rows = hi - lo;
      int n = rows * w;
      chroma.rows(lo, hi, cb, cr, clipped);
      // The colour band-passes: less their 5x5 means (window sums over the window's pixel count).
      System.arraycopy(cb, 0, mb, 0, n);
      System.arraycopy(cr, 0, mr, 0, n);
      Filters.boxSumsInPlace(mb, tmp, w, rows, 2);
      Filters.boxSumsInPlace(mr, tmp, w, rows, 2);
      float[] down2 = Filters.reciprocalCounts(rows, 2);
      int bh = (rows + 1) / 2;
      int nb = bh * bw;
      for (float[] plane : sums) {
        java.util.Arrays.fill(plane, 0, nb, 0f);
      }
      int base = lo * w;
      // Products summed over 2x2 blocks.
      for (int yy = 0, i = 0; yy < rows; yy++) {
        int bo = (yy >> 1) * bw;
        for (int x = 0; x < w; x++, i++) {
          float b = 0f;
          float r = 0f;
          if (!clipped[i]) {
            float inv = down2[yy] * across2[x];
            b = cb[i] - mb[i] * inv;
            r = cr[i] - mr[i] * inv;
          }
          cb[i] = b;
          cr[i] = r;
          float v = hp[base + i];
          int k = bo + (x >> 1);
          sbb[k] += b * b;
          srr[k] += r * r;
          sbr[k] += b * r;
          sby[k] += b * v;
          sry[k] += r * v;
        }
      }
      // Over the 5x5 blocks around each block.
      for (float[] plane : sums) {
        Filters.boxSumsInPlace(plane, btmp, bw, bh, COLOUR_BLOCKS);
      }
      // Per block, the fit (on window sums the ridge is the window's pixel count times COLOUR_RIDGE,
      // the same fit as on means); kept in sby and sry.
      for (int k = 0; k < nb; k++) {
        int by = k / bw;
        int down = Math.min(rows, 2 * (by + COLOUR_BLOCKS + 1)) - Math.max(0, 2 * (by - COLOUR_BLOCKS));
        double lambda = COLOUR_RIDGE * ((float) down * acrossBlocks[k - by * bw]);
        double a = sbb[k] + lambda;
        double d = srr[k] + lambda;
        double c = sbr[k];
        double inv = 1 / (a * d - c * c);
        double kb = (d * sby[k] - c * sry[k]) * inv;
        double kr = (a * sry[k] - c * sby[k]) * inv;
        sby[k] = (float) kb;
        sry[k] = (float) kr;
      }
      for (int yy = y0 - lo, i = yy * w; yy < y1 - lo; yy++) {
        int bo = (yy >> 1) * bw;
        for (int x = 0; x < w; x++, i++) {
          int k = bo + (x >> 1);
          sq[base + i] = hp[base + i] - sby[k] * cb[i] - sry[k] * cr[i];
        }
      }
    }
    // sq held the corrected band-pass (hp must stay whole while later bands read their overlap).
    for (int i = 0; i < hp.length; i++) {
      float v = sq[i];
      hp[i] = v;
      sq[i] = v * v;
    }
  }

  /**
   * Folds the residual onto one tile per scale, assuming the image was resized by that scale.
   *
   * <p>Where the column-to-bin map runs through consecutive bins (scales near 1), each row is added
   * as contiguous chunks, so every bin receives its pixels in raster order and the float sums are
   * exactly those of a plain pixel-by-pixel scatter. Elsewhere the rows of each bin row are summed
   * first (whole rows at a time) and the column sums then go into bins: the same sums in another
   * order, which changes them only by float rounding.
   */
  static List<Fold> folds(float[] r, int w, int h, double[] scales) {
    List<Fold> out = new ArrayList<>();
    float[] stage = new float[T];
    float[][] columns = null;
    float[] line = null;
    for (double scale : scales) {
      float[][] acc = new float[T][T];
      int[] ux = columnBins(w, scale);
      int[] cy = new int[T];
      int[] chunks = chunks(ux);
      boolean chunked = chunks.length / 3 * MIN_CHUNK <= w;
      if (!chunked) {
        if (columns == null) {
          columns = new float[T][w];
          line = new float[w];
        } else {
          for (float[] c : columns) {
            java.util.Arrays.fill(c, 0f);
          }
        }
      }
      for (int y = 0; y < h; y++) {
        int by = ((int) Math.floor(y * (1 / scale) + 0.5)) & (T - 1);
        cy[by]++;
        int o = y * w;
        if (chunked) {
          float[] row = acc[by];
          for (int c = 0; c < chunks.length; c += 3) {
            addChunk(row, chunks[c + 1], chunks[c + 2], r, o + chunks[c], stage);
          }
        } else {
          // Rows first (whole rows at a time, vectorised), then columns into bins below.
          System.arraycopy(r, o, line, 0, w);
          float[] col = columns[by];
          for (int x = 0; x < w; x++) {
            col[x] += line[x];
          }
        }
      }
      if (!chunked) {
        for (int by = 0; by < T; by++) {
          if (cy[by] > 0) {
            float[] col = columns[by];
            float[] row = acc[by];
            for (int x = 0; x < w; x++) {
              row[ux[x]] += col[x];
            }
          }
        }
      }
      int[] cx = new int[T];
      for (int b : ux) {
        cx[b]++;
      }
      int[][] cnt = new int[T][T];
      for (int y = 0; y < T; y++) {
        for (int x = 0; x < T; x++) {
          cnt[y][x] = cx[x] * cy[y];
        }
      }
      out.add(finishFold(scale, 0, acc, cnt));
    }
    return out;
  }

  private static int[] columnBins(int w, double scale) {
    double inv = 1 / scale;
    int[] ux = new int[w];
    for (int x = 0; x < w; x++) {
      ux[x] = ((int) Math.floor(x * inv + 0.5)) & (T - 1);
    }
    return ux;
  }

  /**
   * Maximal runs of columns whose bins are consecutive (no wrap), as (first column, first bin,
   * length) triples in column order. Within one run every bin gets one pixel, so adding a row run
   * by run keeps each bin's pixels in column order.
   */
  private static int[] chunks(int[] ux) {
    int[] out = new int[3 * ux.length];
    int n = 0;
    int start = 0;
    for (int x = 1; x <= ux.length; x++) {
      if (x == ux.length || ux[x] != ux[x - 1] + 1) {
        out[n++] = start;
        out[n++] = ux[start];
        out[n++] = x - start;
        start = x;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /**
   * {@code row[bin + k] += r[from + k]} for k below {@code len}, through a staging row so that both
   * sides use the same index (which the JIT vectorises).
   */
  static void addChunk(float[] row, int bin, int len, float[] r, int from, float[] stage) {
    System.arraycopy(r, from, stage, bin, len);
    int end = bin + len;
    for (int k = bin; k < end; k++) {
      row[k] += stage[k];
    }
  }

  /**
   * {@code Math.sqrt(n)} for bin counts below 1024 (every bin of an image under 16 megapixels at
   * scale 1), the same doubles without a square root per bin.
   */
  private static final double[] ROOTS = new double[1024];

  static {
    for (int n = 0; n < ROOTS.length; n++) {
      ROOTS[n] = Math.sqrt(n);
    }
  }

  /**
   * Per bin, the sum of its pixels less their share of the fold's mean, over the root of their
   * number: {@code (sum - mean count) / sqrt(count)}, where mean is the mean pixel of the folded
   * residual (empty bins stay 0). Every filled bin then carries the same noise variance whatever its
   * pixel count (what the spectral weight, a stationary estimate, assumes), while the mark's share
   * grows as the root of the count; detectors up to 1.4 took the mean, which gives a bin of one pixel
   * the say of a bin of four and costs about 5% of z on crops whose sides are not whole tiles.
   */
  private static Fold finishFold(double scale, double degrees, float[][] acc, int[][] cnt) {
    float[] a = new float[TT];
    int[] c = new int[TT];
    for (int y = 0; y < T; y++) {
      System.arraycopy(acc[y], 0, a, y * T, T);
      System.arraycopy(cnt[y], 0, c, y * T, T);
    }
    return finishFold(scale, degrees, a, c);
  }

  /** {@link #finishFold(double, double, float[][], int[][])} of row-major sums and counts. */
  private static Fold finishFold(double scale, double degrees, float[] acc, int[] cnt) {
    double total = 0;
    long pixels = 0;
    for (int i = 0; i < TT; i++) {
      total += acc[i];
      pixels += cnt[i];
    }
    double mean = total / Math.max(1, pixels);
    double[] out = new double[TT];
    for (int i = 0; i < TT; i++) {
      int n = cnt[i];
      if (n > 0) {
        out[i] = (acc[i] - mean * n) / (n < ROOTS.length ? ROOTS[n] : Math.sqrt(n));
      }
    }
    return new Fold(scale, degrees, out);
  }

  /**
   * Folds the residual onto one tile per angle, assuming a rotation by that many degrees about the
   * centre. Pixel (x, y) goes to bin (floor(q - sin x + 0.5), floor(p + cos x + 0.5)) mod T, with p
   * and q fixed per row. For |angle| < 45 degrees both floors move by at most one per column, so a
   * row splits into segments where the bin row is fixed and the bin column advances with x; each
   * segment is added as contiguous chunks, in column order, so the float sums are exactly those of a
   * pixel-by-pixel scatter.
   */
  static List<Fold> foldsRotated(float[] r, int w, int h, double[] degrees) {
    List<Fold> out = new ArrayList<>();
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    // Offset keeps the coordinates positive so that "& (T - 1)" is a true modulus.
    double off = 64.0 * T;
    float[] stage = new float[T];
    for (double deg : degrees) {
      if (!(Math.abs(deg) < 45) || deg == 0) {
        throw new IllegalArgumentException("rotation search handles 0 < |angle| < 45 degrees, not " + deg);
      }
      double a = Math.toRadians(deg);
      double cos = Math.cos(a);
      double sin = Math.sin(a);
      double invSlackX = 1 / (1 - cos);
      double invSin = 1 / sin;
      double[] cosx = new double[w];
      double[] sinx = new double[w];
      for (int x = 0; x < w; x++) {
        cosx[x] = cos * x;
        sinx[x] = sin * x;
      }
      float[][] acc = new float[T][T];
      // Pixel counts per bin as difference arrays: +1 where a chunk starts, -1 after it ends.
      int[][] runs = new int[T][T + 1];
      for (int y = 0; y < h; y++) {
        double dy = y - cy;
        double p = sin * dy + off - cos * cx;
        double q = cos * dy + off + sin * cx;
        int o = y * w;
        int x = 0;
        while (x < w) {
          int d = (int) (p + cosx[x] + 0.5) - x;
          int by = (int) (q - sinx[x] + 0.5);
          // Last column of the segment: estimated in closed form, then settled exactly (the
          // segment condition holds on a prefix of the row).
          double lastX = Math.floor((p + 0.5 - d) * invSlackX);
          double lastY = sin > 0 ? Math.floor((q + 0.5 - by) * invSin) : Math.ceil((by + 0.5 - q) * -invSin) - 1;
          int e = (int) Math.max(x, Math.min(w - 1, Math.min(lastX, lastY)));
          while (e > x && !sameSegment(p, q, cosx, sinx, e, d, by)) {
            e--;
          }
          while (e + 1 < w && sameSegment(p, q, cosx, sinx, e + 1, d, by)) {
            e++;
          }
          float[] row = acc[by & (T - 1)];
          int[] starts = runs[by & (T - 1)];
          for (int xs = x; xs <= e; ) {
            int bin = (xs + d) & (T - 1);
            int len = Math.min(e - xs + 1, T - bin);
            addChunk(row, bin, len, r, o + xs, stage);
            starts[bin]++;
            starts[bin + len]--;
            xs += len;
          }
          x = e + 1;
        }
      }
      int[][] cnt = new int[T][T];
      for (int by = 0; by < T; by++) {
        int c = 0;
        for (int bx = 0; bx < T; bx++) {
          c += runs[by][bx];
          cnt[by][bx] = c;
        }
      }
      out.add(finishFold(1.0, deg, acc, cnt));
    }
    return out;
  }

  /**
   * Folds the residual assuming the image is the original resized by {@code scale} and rotated by
   * {@code degrees} about its centre: pixel x goes to bin round((1/s) R(-degrees)(x - c)) mod T, by
   * a plain scatter (any scale and angle). Bin coordinates are tracked along each row in fixed point
   * ({@link #fixedMod}): within {@value #FIXED_ERROR_PIXELS} of a pixel of the exact map on rows up
   * to 8192 pixels, so a pixel lands in another bin than the exact rounding gives only when its
   * coordinate is that close to a bin edge (a few pixels in a million).
   */
  static Fold foldSimilarity(float[] r, int w, int h, double scale, double degrees) {
    float[] acc = new float[TT];
    int[] cnt = new int[TT];
    Row g = new Row(w, h, scale, degrees);
    for (int y = 0; y < h; y++) {
      int ux = g.startX(y);
      int uy = g.startY(y);
      int o = y * w;
      for (int x = 0; x < w; x++) {
        int bin = Row.bin(ux, uy);
        acc[bin] += r[o + x];
        cnt[bin]++;
        ux += g.dx;
        uy -= g.dy;
      }
    }
    return finishFold(scale, degrees, acc, cnt);
  }

  /** Fractional bits of the fixed-point bin coordinates: 7 integer bits (mod T by overflow) and 25. */
  private static final int FIXED_BITS = 32 - LOG_T;
  private static final double FIXED_ONE = 1 << FIXED_BITS;
  /** Worst-case drift of a fixed-point coordinate after 8192 steps of at most 2^-26 pixel each. */
  static final double FIXED_ERROR_PIXELS = 1.3e-4;

  /** {@code u mod T} in fixed point with {@link #FIXED_BITS} fractional bits (rounded). */
  static int fixedMod(double u) {
    double m = u - T * Math.floor(u / T);
    return (int) Math.round(m * FIXED_ONE); // T * FIXED_ONE wraps to 0: the same bin
  }

  /**
   * One similarity geometry's bin coordinates: pixel (x, y) goes to
   * {@code ((1/s) R(-degrees)((x, y) - c) + 0.5) mod T}, whose floor is the bin; along a row both
   * coordinates advance by a constant, added in fixed point (integer additions, which also wrap
   * mod T for free) rather than in double (a serial chain of floating-point additions and two
   * conversions per pixel, most of the scatter's time).
   */
  private static final class Row {
    final double cos;
    final double sin;
    final double cx;
    final double cy;
    final int dx;
    final int dy;

    Row(int w, int h, double scale, double degrees) {
      double a = Math.toRadians(degrees);
      cos = Math.cos(a) / scale;
      sin = Math.sin(a) / scale;
      cx = (w - 1) / 2.0;
      cy = (h - 1) / 2.0;
      dx = fixedMod(cos);
      dy = fixedMod(sin);
    }

    int startX(int y) {
      return fixedMod(-cos * cx + sin * (y - cy) + 0.5);
    }

    int startY(int y) {
      return fixedMod(sin * cx + cos * (y - cy) + 0.5);
    }

    /**
     * Row-major bin of fixed-point coordinates (ux, uy). (Sums and counts interleaved in one array,
     * one cache line per pixel, were slower over the search's usual angles.)
     */
    static int bin(int ux, int uy) {
      return ((uy >>> FIXED_BITS) << LOG_T) | (ux >>> FIXED_BITS);
    }
  }

  /**
   * {@link #foldSimilarity} of each {scale, degrees}, in order, two at a time in one pass over the
   * residual (each fold's sums in the same order as alone: the same tiles, in about two thirds of the
   * time, as the pixel is loaded once and the two scatters overlap; more than two at a time was
   * slower, the bins of four folds no longer fitting the fastest cache).
   */
  static List<Fold> foldsSimilarity(float[] r, int w, int h, List<double[]> geometries) {
    List<Fold> out = new ArrayList<>();
    int i = 0;
    for (; i + 1 < geometries.size(); i += 2) {
      double[] g1 = geometries.get(i);
      double[] g2 = geometries.get(i + 1);
      Row row1 = new Row(w, h, g1[0], g1[1]);
      Row row2 = new Row(w, h, g2[0], g2[1]);
      int dx1 = row1.dx;
      int dy1 = row1.dy;
      int dx2 = row2.dx;
      int dy2 = row2.dy;
      float[] acc1 = new float[TT];
      int[] cnt1 = new int[TT];
      float[] acc2 = new float[TT];
      int[] cnt2 = new int[TT];
      for (int y = 0; y < h; y++) {
        int ux1 = row1.startX(y);
        int uy1 = row1.startY(y);
        int ux2 = row2.startX(y);
        int uy2 = row2.startY(y);
        int o = y * w;
        for (int x = 0; x < w; x++) {
          float v = r[o + x];
          int bin1 = Row.bin(ux1, uy1);
          int bin2 = Row.bin(ux2, uy2);
          acc1[bin1] += v;
          cnt1[bin1]++;
          acc2[bin2] += v;
          cnt2[bin2]++;
          ux1 += dx1;
          uy1 -= dy1;
          ux2 += dx2;
          uy2 -= dy2;
        }
      }
      out.add(finishFold(g1[0], g1[1], acc1, cnt1));
      out.add(finishFold(g2[0], g2[1], acc2, cnt2));
    }
    if (i < geometries.size()) {
      out.add(foldSimilarity(r, w, h, geometries.get(i)[0], geometries.get(i)[1]));
    }
    return out;
  }

  private static boolean sameSegment(double p, double q, double[] cosx, double[] sinx, int x, int d, int by) {
    return (int) (p + cosx[x] + 0.5) - x == d && (int) (q - sinx[x] + 0.5) == by;
  }

  /**
   * Upscales: the strongest periods of the half-resolution residual {@code r2} for scales in
   * [{@value #HALF_MIN_SCALE}, maxScale], each with fine steps spanning +-{@value #HALF_REFINE_LAG}
   * half-resolution pixels of period, as scales of the half-resolution image (half the image's);
   * a period within two fine steps of one of the full-resolution hypotheses {@code full} is left to them.
   */
  double[] halfScales(float[] r2, int w2, int h2, double[] full) {
    List<Double> out = new ArrayList<>();
    for (double p : Periods.strongest(r2, w2, h2, T * HALF_MIN_SCALE / 2, T * params.maxScale() / 2, HALF_PERIODS,
        HALF_LINES)) {
      double c = p / T;
      boolean dup = false;
      for (double f : full) {
        dup |= Math.abs(f / (2 * c) - 1) < 2 * FINE_STEP;
      }
      if (dup) {
        continue;
      }
      addFineSteps(out, c, Math.max(FINE_STEPS, (int) Math.ceil(HALF_REFINE_LAG / p / FINE_STEP)));
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Adds {@code c (1 + j FINE_STEP)}, |j| <= k, to {@code out}, each unless within FINE_STEP / 2 of one already there. */
  private static void addFineSteps(List<Double> out, double c, int k) {
    for (int j = -k; j <= k; j++) {
      double s = c * (1 + j * FINE_STEP);
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

  /**
   * Resize factors to try: 1, and the strongest periods of the residual's autocorrelation along rows
   * and columns, each with a few fine steps around it. Texture can pull a period peak by about one
   * lag pixel, which at short periods (strong downscaling) is more than the fine steps cover, so
   * around the {@value #REFINED_PEAKS} strongest peaks the fine steps span +-{@value #REFINE_LAG}
   * pixels of period.
   */
  double[] candidateScales(float[] r, int w, int h) {
    double minS = params.minScale();
    double maxS = Math.min(params.maxScale(), FULL_MAX_SCALE);
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
      addFineSteps(out, coarse.get(i), steps.get(i));
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
