using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Demo.Render;

/// <summary>Draws masks and boxes onto packed RGB24 frames in place.</summary>
internal static class MaskOverlay
{
    /// <summary>
    /// Mixes <paramref name="colour"/> into every pixel whose mask byte is non-zero, with weight
    /// <paramref name="alpha"/>/256 (0 leaves the frame as is, 256 paints the colour).
    /// </summary>
    public static void Blend(Span<byte> rgb24, ReadOnlySpan<byte> mask, Rgb colour, int alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(alpha);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(alpha, 256);
        if (rgb24.Length < mask.Length * 3)
        {
            throw new ArgumentException($"Frame holds {rgb24.Length} bytes, a {mask.Length}-pixel mask needs {mask.Length * 3}.", nameof(rgb24));
        }

        var keep = 256 - alpha;
        int r = colour.R * alpha, g = colour.G * alpha, b = colour.B * alpha;
        var i = 0;
        while (i < mask.Length)
        {
            // Masks are mostly empty: the vectorised search skips background runs, so only mask pixels cost anything.
            var start = mask[i..].IndexOfAnyExcept((byte)0);
            if (start < 0)
            {
                return;
            }

            i += start;
            var length = mask[i..].IndexOf((byte)0);
            var end = length < 0 ? mask.Length : i + length;
            var run = rgb24.Slice(i * 3, (end - i) * 3);
            for (var p = 0; p < run.Length; p += 3)
            {
                run[p] = (byte)(((run[p] * keep) + r) >> 8);
                run[p + 1] = (byte)(((run[p + 1] * keep) + g) >> 8);
                run[p + 2] = (byte)(((run[p + 2] * keep) + b) >> 8);
            }

            i = end;
        }
    }

    /// <summary>
    /// Paints the mask's contour: every mask pixel with a 4-neighbour outside the mask or outside the frame. Drawn
    /// over a blended mask it shows exactly where the published mask ends.
    /// </summary>
    public static void Contour(Span<byte> rgb24, ReadOnlySpan<byte> mask, int width, int height, Rgb colour)
    {
        if (mask.Length < width * height || rgb24.Length < width * height * 3)
        {
            throw new ArgumentException($"Mask or frame is smaller than {width}x{height}.", nameof(mask));
        }

        for (var y = 0; y < height; y++)
        {
            var row = mask.Slice(y * width, width);
            var x = row.IndexOfAnyExcept((byte)0);
            if (x < 0)
            {
                continue;
            }

            var last = row.LastIndexOfAnyExcept((byte)0);
            for (; x <= last; x++)
            {
                if (row[x] != 0 && IsEdge(mask, width, height, x, y))
                {
                    var p = ((y * width) + x) * 3;
                    rgb24[p] = colour.R;
                    rgb24[p + 1] = colour.G;
                    rgb24[p + 2] = colour.B;
                }
            }
        }
    }

    /// <summary>Outlines <paramref name="box"/> (exclusive right/bottom) with a border <paramref name="thickness"/> pixels wide inside it, clipped to the frame.</summary>
    public static void OutlineBox(Span<byte> rgb24, int width, int height, PixelBox box, Rgb colour, int thickness)
    {
        var x1 = Math.Clamp(box.X1, 0, width);
        var y1 = Math.Clamp(box.Y1, 0, height);
        var x2 = Math.Clamp(box.X2, 0, width);
        var y2 = Math.Clamp(box.Y2, 0, height);
        if (x2 <= x1 || y2 <= y1)
        {
            return;
        }

        var t = Math.Max(1, thickness);
        FillRect(rgb24, width, x1, y1, x2, Math.Min(y2, y1 + t), colour);
        FillRect(rgb24, width, x1, Math.Max(y1, y2 - t), x2, y2, colour);
        FillRect(rgb24, width, x1, y1, Math.Min(x2, x1 + t), y2, colour);
        FillRect(rgb24, width, Math.Max(x1, x2 - t), y1, x2, y2, colour);
    }

    private static bool IsEdge(ReadOnlySpan<byte> mask, int width, int height, int x, int y) =>
        x == 0 || y == 0 || x == width - 1 || y == height - 1
        || mask[(y * width) + x - 1] == 0 || mask[(y * width) + x + 1] == 0
        || mask[((y - 1) * width) + x] == 0 || mask[((y + 1) * width) + x] == 0;

    /// <summary>Paints the rectangle [x1, x2) × [y1, y2); the caller clips it to the frame.</summary>
    public static void FillRect(Span<byte> rgb24, int width, int x1, int y1, int x2, int y2, Rgb colour)
    {
        for (var y = y1; y < y2; y++)
        {
            var row = rgb24.Slice(((y * width) + x1) * 3, (x2 - x1) * 3);
            for (var p = 0; p < row.Length; p += 3)
            {
                row[p] = colour.R;
                row[p + 1] = colour.G;
                row[p + 2] = colour.B;
            }
        }
    }
}
