namespace EdgeSam2.Scenes;

/// <summary>
/// Rasterises shapes as one horizontal span per row. Frames and ground-truth masks both go through these two
/// methods, so they agree on every boundary pixel by construction.
/// </summary>
internal static class ShapeRaster
{
    /// <summary>The rows [y0, y1) the shape touches, clipped to the frame.</summary>
    public static void Rows(SceneShape shape, double cy, double size, int height, out int y0, out int y1)
    {
        if (shape == SceneShape.Disc)
        {
            y0 = ClampToInt(Math.Ceiling(cy - size), 0, height);
            y1 = ClampToInt(Math.Floor(cy + size) + 1, 0, height);
        }
        else
        {
            y0 = ClampToInt(Math.Ceiling(cy - size), 0, height);
            y1 = ClampToInt(Math.Ceiling(cy + size), 0, height);
        }
    }

    /// <summary>The pixels [x0, x1) of row <paramref name="y"/> inside the shape, clipped; false when none.</summary>
    public static bool Span(SceneShape shape, double cx, double cy, double size, int y, int width, out int x0, out int x1)
    {
        if (shape == SceneShape.Disc)
        {
            var dy = y - cy;
            var d2 = (size * size) - (dy * dy);
            if (d2 < 0)
            {
                x0 = x1 = 0;
                return false;
            }

            var half = Math.Sqrt(d2);
            x0 = ClampToInt(Math.Ceiling(cx - half), 0, width);
            x1 = ClampToInt(Math.Floor(cx + half) + 1, 0, width);
        }
        else
        {
            if (y < cy - size || y >= cy + size)
            {
                x0 = x1 = 0;
                return false;
            }

            x0 = ClampToInt(Math.Ceiling(cx - size), 0, width);
            x1 = ClampToInt(Math.Ceiling(cx + size), 0, width);
        }

        return x1 > x0;
    }

    private static int ClampToInt(double value, int min, int max) =>
        value <= min ? min : value >= max ? max : (int)value;
}
