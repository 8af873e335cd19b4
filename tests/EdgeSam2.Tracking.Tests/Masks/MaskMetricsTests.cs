using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Tracking.Tests.Masks;

public sealed class MaskMetricsTests
{
    [Fact]
    public void IoU_BothEmpty_IsOne() => Assert.Equal(1.0, MaskMetrics.IoU(new byte[50], new byte[50]));

    [Fact]
    public void IoU_OneEmpty_IsZero()
    {
        var a = new byte[50];
        a[3] = 1;
        Assert.Equal(0.0, MaskMetrics.IoU(a, new byte[50]));
    }

    [Fact]
    public void IoU_HalfOverlappingRuns_IsOneThird()
    {
        // a = [0, 40), b = [20, 60) in 100 pixels: intersection 20, union 60. Crosses 16-byte vector blocks and a tail.
        var a = new byte[100];
        var b = new byte[100];
        a.AsSpan(0, 40).Fill(1);
        b.AsSpan(20, 40).Fill(1);

        MaskMetrics.Overlap(a, b, out var intersection, out var union);

        Assert.Equal(20, intersection);
        Assert.Equal(60, union);
        Assert.Equal(1.0 / 3, MaskMetrics.IoU(a, b), 12);
    }

    [Fact]
    public void IoU_RandomMasks_MatchesNaiveCount()
    {
        var random = new Random(2);
        for (var trial = 0; trial < 20; trial++)
        {
            var n = random.Next(1, 500);
            var a = new byte[n];
            var b = new byte[n];
            for (var i = 0; i < n; i++)
            {
                a[i] = random.Next(3) == 0 ? (byte)random.Next(1, 256) : (byte)0;
                b[i] = random.Next(2) == 0 ? (byte)1 : (byte)0;
            }

            int both = 0, either = 0;
            for (var i = 0; i < n; i++)
            {
                both += a[i] != 0 && b[i] != 0 ? 1 : 0;
                either += a[i] != 0 || b[i] != 0 ? 1 : 0;
            }

            Assert.Equal(either == 0 ? 1.0 : (double)both / either, MaskMetrics.IoU(a, b), 12);
        }
    }

    [Fact]
    public void IoU_DifferentLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => MaskMetrics.IoU(new byte[3], new byte[4]));
}
