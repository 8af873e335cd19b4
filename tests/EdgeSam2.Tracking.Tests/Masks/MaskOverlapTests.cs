using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Tracking.Tests.Masks;

public sealed class MaskOverlapTests
{
    [Fact]
    public void Apply_ThreeMaps_HighestLogitKeepsEachPixelOthersClampedToFloor()
    {
        // 19 pixels: longer than any vector width, so the vector loop and the scalar tail both run.
        const int n = 19;
        var maps = new float[3 * n];
        for (var i = 0; i < n; i++)
        {
            maps[i] = 1f + i;          // object 0: rises
            maps[n + i] = 20f - i;     // object 1: falls
            maps[(2 * n) + i] = -1024f; // object 2: absent
        }

        maps[9] = maps[n + 9] = 11f; // a tie: the first object takes it
        var expected = (float[])maps.Clone();
        for (var i = 0; i < n; i++)
        {
            var winner = maps[i] >= maps[n + i] ? 0 : 1;
            expected[((1 - winner) * n) + i] = Math.Min(maps[((1 - winner) * n) + i], -10f);
        }

        new MaskOverlap().Apply(maps, 3, n, MaskOverlap.LogitFloor);

        Assert.Equal(expected, maps);
        for (var i = 0; i < n; i++)
        {
            Assert.False(maps[i] > 0 && maps[n + i] > 0, $"pixel {i} positive for two objects");
        }
    }

    [Fact]
    public void MemoryFloor_IsTheLogitFloorThroughSigmoidScale()
    {
        Assert.Equal((20f / (1f + MathF.Exp(10f))) - 10f, MaskOverlap.MemoryFloor, 5);
    }
}
