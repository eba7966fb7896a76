package dev.hallmark.watermark.image;

import java.io.Serializable;
import java.util.Locale;

/**
 * Settings of the image watermark. Immutable, serializable, validated by {@link Builder#build()}.
 *
 * <p>{@code targetPsnrDb} sets the embedding strength: the luminance change is scaled so that its
 * root-mean-square equals {@code 255 / 10^(psnr/20)} (the PSNR actually measured is slightly lower
 * because of rounding to 8 bits, and higher where pixels clip). {@code maskExponent} sets where that
 * change goes: the pattern is scaled by the local texture activity relative to the image's mean,
 * raised to this power (clamped to 0.35-2.5); 0.5, the default since embedder 1.1, moves amplitude
 * from busy texture towards quieter areas, where the detector sees it best; 1 is embedder 1.0's mask
 * (less visible by SSIM at the same PSNR, weaker after small crops and collages; docs/BENCHMARKS.md,
 * "Embedder 1.1"). Detection does not depend on it. The scale range bounds the geometry search at
 * detection time: images resized by a factor outside it are not found.
 */
public final class ImageWatermarkParameters implements Serializable {
  private static final long serialVersionUID = 2L;

  /**
   * 40.5 dB target, mask exponent 0.5 (1 before embedder 1.1), resizes from 0.4x to 3x searched (2.2x
   * before detector 1.11: longer periods are sought on a half-resolution copy of the residual).
   */
  public static final ImageWatermarkParameters DEFAULT = builder().build();

  private final double targetPsnrDb;
  private final double maskExponent;
  private final double minScale;
  private final double maxScale;

  private ImageWatermarkParameters(Builder b) {
    this.targetPsnrDb = b.targetPsnrDb;
    this.maskExponent = b.maskExponent;
    this.minScale = b.minScale;
    this.maxScale = b.maxScale;
  }

  public static Builder builder() {
    return new Builder();
  }

  public double targetPsnrDb() {
    return targetPsnrDb;
  }

  public double maskExponent() {
    return maskExponent;
  }

  public double minScale() {
    return minScale;
  }

  public double maxScale() {
    return maxScale;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ImageWatermarkParameters)) {
      return false;
    }
    ImageWatermarkParameters p = (ImageWatermarkParameters) o;
    return p.targetPsnrDb == targetPsnrDb && p.maskExponent == maskExponent && p.minScale == minScale
        && p.maxScale == maxScale;
  }

  @Override
  public int hashCode() {
    return ((Double.hashCode(targetPsnrDb) * 31 + Double.hashCode(maskExponent)) * 31
        + Double.hashCode(minScale)) * 31 + Double.hashCode(maxScale);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ImageWatermarkParameters{targetPsnrDb=%.1f, maskExponent=%.2f, scales=%.2f..%.2f}",
        targetPsnrDb, maskExponent, minScale, maxScale);
  }

  /** Builder; defaults are those of {@link #DEFAULT}. */
  public static final class Builder {
    private double targetPsnrDb = 40.5;
    private double maskExponent = 0.5;
    private double minScale = 0.4;
    private double maxScale = 3.0;

    private Builder() {}

    /** 30-60 dB; lower is stronger and more visible. */
    public Builder targetPsnrDb(double db) {
      this.targetPsnrDb = db;
      return this;
    }

    /** Power of the texture mask, 0.25-1: 0.5 (the default) or 1 (embedder 1.0's linear mask). */
    public Builder maskExponent(double e) {
      this.maskExponent = e;
      return this;
    }

    /** Smallest resize factor searched at detection, 0.3-1. */
    public Builder minScale(double s) {
      this.minScale = s;
      return this;
    }

    /** Largest resize factor searched at detection, 1-4. */
    public Builder maxScale(double s) {
      this.maxScale = s;
      return this;
    }

    public ImageWatermarkParameters build() {
      if (!(targetPsnrDb >= 30 && targetPsnrDb <= 60)) {
        throw new IllegalArgumentException("targetPsnrDb must be 30-60, not " + targetPsnrDb);
      }
      if (!(maskExponent >= 0.25 && maskExponent <= 1)) {
        throw new IllegalArgumentException("maskExponent must be 0.25-1, not " + maskExponent);
      }
      if (!(minScale >= 0.3 && minScale <= 1)) {
        throw new IllegalArgumentException("minScale must be 0.3-1, not " + minScale);
      }
      if (!(maxScale >= 1 && maxScale <= 4)) {
        throw new IllegalArgumentException("maxScale must be 1-4, not " + maxScale);
      }
      return new ImageWatermarkParameters(this);
    }
  }
}
