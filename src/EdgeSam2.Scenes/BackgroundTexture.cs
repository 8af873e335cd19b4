namespace EdgeSam2.Scenes;

/// <summary>Renders <see cref="SceneBackground"/> once per renderer; frames start as a copy of it.</summary>
internal static class BackgroundTexture
{
    public static byte[] Render(SceneSpec spec)
    {
        int width = spec.Width, height = spec.Height, cell = spec.Background.CellSize, grain = spec.Background.Grain;
        var gridW = (width / cell) + 2;
        var gridH = (height / cell) + 2;
        var grid = new double[gridW * gridH * 3];
        for (var gy = 0; gy < gridH; gy++)
        {
            for (var gx = 0; gx < gridW; gx++)
            {
                for (var c = 0; c < 3; c++)
                {
                    grid[(((gy * gridW) + gx) * 3) + c] = Unit(Hash(spec.Seed, gx, gy, c));
                }
            }
        }

        ReadOnlySpan<int> lo = [SceneBackground.RedMin, SceneBackground.GreenMin, SceneBackground.BlueMin];
        ReadOnlySpan<int> hi = [SceneBackground.RedMax, SceneBackground.GreenMax, SceneBackground.BlueMax];
        var rgb = new byte[spec.FrameByteCount];
        for (var y = 0; y < height; y++)
        {
            var gy = y / cell;
            var fy = Smooth((double)(y % cell) / cell);
            for (var x = 0; x < width; x++)
            {
                var gx = x / cell;
                var fx = Smooth((double)(x % cell) / cell);
                var jitterHash = Hash(spec.Seed, x, y, 3);
                for (var c = 0; c < 3; c++)
                {
                    var v00 = grid[(((gy * gridW) + gx) * 3) + c];
                    var v10 = grid[(((gy * gridW) + gx + 1) * 3) + c];
                    var v01 = grid[((((gy + 1) * gridW) + gx) * 3) + c];
                    var v11 = grid[((((gy + 1) * gridW) + gx + 1) * 3) + c];
                    var v = ((v00 * (1 - fx)) + (v10 * fx)) * (1 - fy) + (((v01 * (1 - fx)) + (v11 * fx)) * fy);
                    var jitter = grain == 0 ? 0 : (int)((jitterHash >> (16 * c)) % (ulong)((2 * grain) + 1)) - grain;
                    var level = lo[c] + (int)Math.Round(v * (hi[c] - lo[c])) + jitter;
                    rgb[(((y * width) + x) * 3) + c] = (byte)Math.Clamp(level, lo[c], hi[c]);
                }
            }
        }

        return rgb;
    }

    // Smoothstep hides the grid: plain bilinear value noise shows creases along cell edges.
    private static double Smooth(double t) => t * t * (3 - (2 * t));

    private static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    // SplitMix64 finaliser over the packed inputs: stable across runtimes, unlike System.Random's algorithms.
    private static ulong Hash(int seed, int x, int y, int c)
    {
        var z = ((ulong)(uint)seed << 32) ^ ((ulong)(uint)x * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)y * 0xC2B2AE3D27D4EB4FUL) ^ ((ulong)(uint)c * 0x165667B19E3779F9UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
