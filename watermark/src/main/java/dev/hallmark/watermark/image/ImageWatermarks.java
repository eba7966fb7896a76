package dev.hallmark.watermark.image;

import dev.hallmark.watermark.internal.image.TiledSpreadSpectrum;

/** Entry point of the image watermark. */
public final class ImageWatermarks {
  private ImageWatermarks() {}

  /** The tiled spread-spectrum watermarker (see {@code docs/spec/image-watermark.md}). */
  public static ImageWatermarker newWatermarker(ImageWatermarkParameters parameters) {
    return new TiledSpreadSpectrum(parameters);
  }

  /** {@link #newWatermarker} with {@link ImageWatermarkParameters#DEFAULT}. */
  public static ImageWatermarker newWatermarker() {
    return newWatermarker(ImageWatermarkParameters.DEFAULT);
  }
}
