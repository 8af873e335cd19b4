namespace EdgeSam2.Benchmarks.Support;

/// <summary>Deterministic inputs for the kernel benchmarks.</summary>
internal static class Patterns
{
    /// <summary>Seeded noise: the worst case for nothing (kernels here are data-independent) and a fair one for all.</summary>
    public static byte[] NoiseRgb(int width, int height, int seed)
    {
        var rgb = new byte[width * height * 3];
        new Random(seed).NextBytes(rgb);
        return rgb;
    }

    /// <summary>A filled disc of 1s: the shape of a typical tracked blob.</summary>
    public static byte[] DiscMask(int width, int height, double cx, double cy, double radius)
    {
        var mask = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (dx, dy) = (x + 0.5 - cx, y + 0.5 - cy);
                mask[(y * width) + x] = (byte)((dx * dx) + (dy * dy) <= radius * radius ? 1 : 0);
            }
        }

        return mask;
    }

    /// <summary>Square low-resolution logits that are positive inside a disc (radius − distance).</summary>
    public static float[] DiscLogits(int size, double cx, double cy, double radius)
    {
        var logits = new float[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var (dx, dy) = (x + 0.5 - cx, y + 0.5 - cy);
                logits[(y * size) + x] = (float)(radius - Math.Sqrt((dx * dx) + (dy * dy)));
            }
        }

        return logits;
    }
}
