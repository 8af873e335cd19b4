namespace EdgeSam2.Tracking.Masks;

/// <summary>
/// Area, tight box and centroid of a binary mask (any non-zero byte is foreground). Pixel (x, y) counts at
/// coordinates (x, y), so a disc centred on (cx, cy) has its centroid there. An empty mask has Area 0,
/// <see cref="PixelBox.Empty"/> and centroid (0, 0).
/// </summary>
public readonly record struct MaskStats(long Area, PixelBox Box, float CentroidX, float CentroidY)
{
    /// <summary>Computes the statistics of a row-major width×height mask in one pass.</summary>
    public static MaskStats Compute(ReadOnlySpan<byte> mask, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        if (mask.Length < width * height)
        {
            throw new ArgumentException($"Mask holds {mask.Length} bytes, {width}x{height} needs {width * height}.", nameof(mask));
        }

        long area = 0, sumX = 0, sumY = 0;
        int x1 = int.MaxValue, y1 = -1, x2 = -1, y2 = -1;
        for (var y = 0; y < height; y++)
        {
            var row = mask.Slice(y * width, width);
            var first = row.IndexOfAnyExcept((byte)0);
            if (first < 0)
            {
                continue;
            }

            var last = row.LastIndexOfAnyExcept((byte)0);
            var span = row[first..(last + 1)];
            long count = span.Length - span.Count((byte)0);
            long rowSumX;
            if (count == span.Length)
            {
                // A solid run, the usual case for blob masks: arithmetic series, no per-pixel loop.
                rowSumX = ((long)first + last) * count / 2;
            }
            else
            {
                rowSumX = 0;
                for (var i = 0; i < span.Length; i++)
                {
                    rowSumX += span[i] != 0 ? first + i : 0;
                }
            }

            area += count;
            sumX += rowSumX;
            sumY += count * y;
            x1 = Math.Min(x1, first);
            x2 = Math.Max(x2, last + 1);
            y1 = y1 < 0 ? y : y1;
            y2 = y + 1;
        }

        return area == 0
            ? default
            : new MaskStats(area, new PixelBox(x1, y1, x2, y2), (float)((double)sumX / area), (float)((double)sumY / area));
    }

    /// <summary>The tight box of the non-zero pixels, without area or centroid (cheaper: no counting).</summary>
    public static PixelBox BoundingBox(ReadOnlySpan<byte> mask, int width, int height)
    {
        int x1 = int.MaxValue, y1 = -1, x2 = -1, y2 = -1;
        for (var y = 0; y < height; y++)
        {
            var row = mask.Slice(y * width, width);
            var first = row.IndexOfAnyExcept((byte)0);
            if (first < 0)
            {
                continue;
            }

            x1 = Math.Min(x1, first);
            x2 = Math.Max(x2, row.LastIndexOfAnyExcept((byte)0) + 1);
            y1 = y1 < 0 ? y : y1;
            y2 = y + 1;
        }

        return y1 < 0 ? PixelBox.Empty : new PixelBox(x1, y1, x2, y2);
    }
}
