using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Tracking.Tests.Masks;

public sealed class MaskStatsTests
{
    [Fact]
    public void Compute_EmptyMask_ZeroAreaAndEmptyBox()
    {
        var stats = MaskStats.Compute(new byte[12 * 9], 12, 9);

        Assert.Equal(0, stats.Area);
        Assert.True(stats.Box.IsEmpty);
        Assert.Equal(PixelBox.Empty, stats.Box);
    }

    [Fact]
    public void Compute_SinglePixel_BoxIsOnePixelWithExclusiveEdges()
    {
        var mask = new byte[10 * 8];
        mask[(5 * 10) + 3] = 1;

        var stats = MaskStats.Compute(mask, 10, 8);

        Assert.Equal(new MaskStats(1, new PixelBox(3, 5, 4, 6), 3f, 5f), stats);
        Assert.Equal(1, stats.Box.Width);
    }

    [Fact]
    public void Compute_Rectangle_AreaBoxAndCentroid()
    {
        const int w = 40, h = 30;
        var mask = new byte[w * h];
        for (var y = 4; y < 10; y++)
        {
            mask.AsSpan((y * w) + 7, 13).Fill(1);  // x ∈ [7, 20)
        }

        var stats = MaskStats.Compute(mask, w, h);

        Assert.Equal(6 * 13, stats.Area);
        Assert.Equal(new PixelBox(7, 4, 20, 10), stats.Box);
        Assert.Equal(13, stats.CentroidX, 5);   // mean of 7..19
        Assert.Equal(6.5, stats.CentroidY, 5);  // mean of 4..9
    }

    [Fact]
    public void Compute_RandomMasksWithHoles_MatchNaiveReference()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 30; trial++)
        {
            int w = random.Next(1, 70), h = random.Next(1, 50);
            var mask = new byte[w * h];
            var density = random.NextDouble();
            for (var i = 0; i < mask.Length; i++)
            {
                mask[i] = random.NextDouble() < density ? (byte)random.Next(1, 256) : (byte)0;
            }

            long area = 0;
            double sx = 0, sy = 0;
            int x1 = int.MaxValue, y1 = int.MaxValue, x2 = 0, y2 = 0;
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    if (mask[(y * w) + x] != 0)
                    {
                        area++;
                        sx += x;
                        sy += y;
                        (x1, y1, x2, y2) = (Math.Min(x1, x), Math.Min(y1, y), Math.Max(x2, x + 1), Math.Max(y2, y + 1));
                    }
                }
            }

            var stats = MaskStats.Compute(mask, w, h);
            Assert.Equal(area, stats.Area);
            if (area > 0)
            {
                Assert.Equal(new PixelBox(x1, y1, x2, y2), stats.Box);
                Assert.Equal(sx / area, stats.CentroidX, 3);
                Assert.Equal(sy / area, stats.CentroidY, 3);
                Assert.Equal(stats.Box, MaskStats.BoundingBox(mask, w, h));
            }
        }
    }
}
