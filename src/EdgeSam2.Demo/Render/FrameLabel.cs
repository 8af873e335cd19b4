using EdgeSam2.Scenes;

namespace EdgeSam2.Demo.Render;

/// <summary>Stamps a frame number in a corner of a frame with a built-in 3×5 digit font (no font library is reachable).</summary>
internal static class FrameLabel
{
    // One 15-bit glyph per digit, rows top to bottom, 3 bits a row, most significant bit leftmost.
    private static ReadOnlySpan<ushort> Glyphs =>
    [
        0b111_101_101_101_111, 0b010_110_010_010_111, 0b111_001_111_100_111, 0b111_001_111_001_111, 0b101_101_111_001_001,
        0b111_100_111_001_111, 0b111_100_111_101_111, 0b111_001_010_010_010, 0b111_101_111_101_111, 0b111_101_111_001_111,
    ];

    private static readonly Rgb Ink = new(255, 255, 255);
    private static readonly Rgb Paper = new(0, 0, 0);

    /// <summary>Draws <paramref name="number"/> at (<paramref name="x"/>, <paramref name="y"/>) on a dark plate, each font pixel <paramref name="scale"/>² frame pixels; clipped to the frame.</summary>
    public static void Draw(Span<byte> rgb24, int width, int height, int x, int y, int number, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        Span<char> digits = stackalloc char[10];
        number.TryFormat(digits, out var count, provider: System.Globalization.CultureInfo.InvariantCulture);
        var pad = scale;
        var plateWidth = (count * 4 * scale) - scale + (2 * pad);
        var plateHeight = (5 * scale) + (2 * pad);
        Fill(rgb24, width, height, x, y, plateWidth, plateHeight, Paper);
        for (var d = 0; d < count; d++)
        {
            var glyph = Glyphs[digits[d] - '0'];
            var left = x + pad + (d * 4 * scale);
            for (var row = 0; row < 5; row++)
            {
                for (var col = 0; col < 3; col++)
                {
                    if ((glyph & (1 << (14 - ((row * 3) + col)))) != 0)
                    {
                        Fill(rgb24, width, height, left + (col * scale), y + pad + (row * scale), scale, scale, Ink);
                    }
                }
            }
        }
    }

    private static void Fill(Span<byte> rgb24, int width, int height, int x, int y, int w, int h, Rgb colour)
    {
        var x1 = Math.Clamp(x, 0, width);
        var y1 = Math.Clamp(y, 0, height);
        var x2 = Math.Clamp(x + w, 0, width);
        var y2 = Math.Clamp(y + h, 0, height);
        if (x2 > x1 && y2 > y1)
        {
            MaskOverlay.FillRect(rgb24, width, x1, y1, x2, y2, colour);
        }
    }
}
