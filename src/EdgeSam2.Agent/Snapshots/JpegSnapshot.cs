using System.Buffers;
using SkiaSharp;

namespace EdgeSam2.Agent.Snapshots;

/// <summary>
/// Encodes a frame as JPEG with SkiaSharp. The frame loop hands over the model-input RGB it already has; it is scaled
/// back to the source size here, so a pixel of the JPEG is a pixel of the prompt's coordinate system.
/// </summary>
internal static class JpegSnapshot
{
    /// <summary>
    /// The JPEG of <paramref name="rgb"/> (tightly packed RGB, <paramref name="width"/> × <paramref name="height"/>) at
    /// <paramref name="outWidth"/> × <paramref name="outHeight"/>.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> rgb, int width, int height, int outWidth, int outHeight, int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rgb.Length, width * height * 3, nameof(rgb));

        // Skia has no packed 3-byte format: widen to RGBA (opaque) first.
        var pixels = width * height;
        var rgba = ArrayPool<byte>.Shared.Rent(pixels * 4);
        try
        {
            var dst = rgba.AsSpan(0, pixels * 4);
            for (int i = 0, j = 0; i < pixels * 3; i += 3, j += 4)
            {
                dst[j] = rgb[i];
                dst[j + 1] = rgb[i + 1];
                dst[j + 2] = rgb[i + 2];
                dst[j + 3] = 255;
            }

            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            using var image = SKImage.FromPixelCopy(info, dst) ?? throw new InvalidOperationException($"SkiaSharp refused a {width}x{height} RGBA image.");
            if (outWidth == width && outHeight == height)
            {
                using var same = image.Encode(SKEncodedImageFormat.Jpeg, quality) ?? throw new InvalidOperationException("SkiaSharp could not encode the JPEG.");
                return same.ToArray();
            }

            using var scaled = new SKBitmap(new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
            using (var target = scaled.PeekPixels())
            {
                if (!image.ScalePixels(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None)))
                {
                    throw new InvalidOperationException($"SkiaSharp could not scale {width}x{height} to {outWidth}x{outHeight}.");
                }
            }

            using var data = scaled.Encode(SKEncodedImageFormat.Jpeg, quality) ?? throw new InvalidOperationException("SkiaSharp could not encode the JPEG.");
            return data.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }
}
