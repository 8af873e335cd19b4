using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Tests.Imaging;

namespace EdgeSam2.Tracking.Tests.Masks;

public sealed class MaskUpsamplerTests
{
    [Fact]
    public void UpsampleAndThreshold_TwoLogitsToFourColumns_MatchesHandComputedValues()
    {
        // Output x samples src = 0.5·(x + 0.5) − 0.5: x=0 → −0.25 → clamped 0 → −1; x=1 → 0.25 → −1·0.75 + 1·0.25 = −0.5;
        // x=2 → 0.75 → −0.25 + 0.75 = 0.5; x=3 → 1.25 → last column clamped → 1.
        var mask = new byte[4];
        new MaskUpsampler().UpsampleAndThreshold([-1f, 1f], 2, 1, mask, 4, 1);

        Assert.Equal(new byte[] { 0, 0, 1, 1 }, mask);
    }

    [Fact]
    public void UpsampleAndThreshold_SameSize_IsPlainThreshold()
    {
        const int w = 13, h = 7;
        var logits = RandomLogits(w * h, seed: 3);
        var mask = new byte[w * h];

        new MaskUpsampler().UpsampleAndThreshold(logits, w, h, mask, w, h);

        for (var i = 0; i < logits.Length; i++)
        {
            Assert.Equal(logits[i] > 0 ? 1 : 0, mask[i]);
        }
    }

    [Theory]
    [InlineData(16, 16, 53, 37)]
    [InlineData(16, 16, 40, 24)]
    [InlineData(8, 6, 7, 5)]
    [InlineData(32, 32, 101, 64)]
    [InlineData(3, 5, 9, 9)]
    public void UpsampleAndThreshold_RandomLogits_MatchesSlowReference(int lowW, int lowH, int width, int height)
    {
        var logits = RandomLogits(lowW * lowH, seed: (lowW * 7) + width);
        var mask = new byte[width * height];

        new MaskUpsampler().UpsampleAndThreshold(logits, lowW, lowH, mask, width, height);

        AssertMatchesReference(logits, lowW, lowH, mask, width, height);
    }

    [Theory]
    [InlineData(32, 32, 101, 64, 0, 0)]      // blob in the top-left corner (edge clamping)
    [InlineData(32, 32, 101, 64, 29, 30)]    // bottom-right corner
    [InlineData(32, 32, 101, 64, 14, 9)]     // middle
    [InlineData(16, 16, 13, 11, 7, 7)]       // downsampling
    [InlineData(128, 128, 512, 384, 60, 20)] // the test models' size
    public void UpsampleAndThreshold_SmallBlobOverStaleMask_MatchesSlowReferenceEverywhere(int lowW, int lowH, int width, int height, int blobX, int blobY)
    {
        // Only pixels near the blob are interpolated; everything else must still come out 0, even over a reused
        // mask buffer full of ones from an earlier object.
        var logits = new float[lowW * lowH];
        Array.Fill(logits, -2f);
        var random = new Random(blobX + (31 * blobY));
        for (var y = blobY; y < Math.Min(lowH, blobY + 3); y++)
        {
            for (var x = blobX; x < Math.Min(lowW, blobX + 3); x++)
            {
                logits[(y * lowW) + x] = (float)(random.NextDouble() * 6) - 1;
            }
        }

        var mask = new byte[width * height];
        Array.Fill(mask, (byte)1);

        new MaskUpsampler().UpsampleAndThreshold(logits, lowW, lowH, mask, width, height);

        AssertMatchesReference(logits, lowW, lowH, mask, width, height);
    }

    [Fact]
    public void UpsampleAndThreshold_NoPositiveCell_ClearsTheMask()
    {
        var logits = new float[16];
        Array.Fill(logits, -1024f);
        var mask = new byte[100];
        Array.Fill(mask, (byte)1);

        new MaskUpsampler().UpsampleAndThreshold(logits, 4, 4, mask, 10, 10);

        Assert.All(mask, b => Assert.Equal(0, b));
    }

    private static void AssertMatchesReference(float[] logits, int lowW, int lowH, byte[] mask, int width, int height)
    {
        var checkedPixels = 0;
        for (var y = 0; y < height; y++)
        {
            var (y0, y1, ly) = FrameNormalizerTests.Taps(y, lowH, height);
            for (var x = 0; x < width; x++)
            {
                var (x0, x1, lx) = FrameNormalizerTests.Taps(x, lowW, width);
                double At(int yy, int xx) => logits[(yy * lowW) + xx];
                var v = ((1 - ly) * (((1 - lx) * At(y0, x0)) + (lx * At(y0, x1)))) + (ly * (((1 - lx) * At(y1, x0)) + (lx * At(y1, x1))));
                if (Math.Abs(v) < 1e-4)
                {
                    continue;  // float vs double rounding may flip the sign this close to 0
                }

                checkedPixels++;
                Assert.True((v > 0 ? 1 : 0) == mask[(y * width) + x], $"pixel ({x},{y}): reference {v}");
            }
        }

        Assert.True(checkedPixels > width * height * 0.99);
    }

    [Fact]
    public void UpsampleAndThreshold_ReusedAcrossSizes_MatchesFreshInstance()
    {
        var shared = new MaskUpsampler();
        foreach (var (lowW, lowH, w, h) in new[] { (16, 16, 50, 30), (16, 16, 30, 50), (8, 8, 50, 30), (16, 16, 50, 30) })
        {
            var logits = RandomLogits(lowW * lowH, seed: w + h + lowW);
            var reused = new byte[w * h];
            var fresh = new byte[w * h];
            shared.UpsampleAndThreshold(logits, lowW, lowH, reused, w, h);
            new MaskUpsampler().UpsampleAndThreshold(logits, lowW, lowH, fresh, w, h);
            Assert.Equal(fresh, reused);
        }
    }

    [Fact]
    public void UpsampleAndThreshold_PositiveBlock_ScalesToProportionalRegion()
    {
        // A 4×4 positive block in the middle of 16×16 logits covers the middle quarter of a 64×48 frame: the
        // zero crossings sit half-way between logit centres, at x = 23.5 and 39.5, y = 17.5 and 29.5. Bilinear
        // rounds the corners: at (24, 18) the blend is −10 + 20·(0.625·0.667) ≈ −1.7, so each corner loses a pixel.
        var logits = new float[16 * 16];
        Array.Fill(logits, -10f);
        for (var y = 6; y < 10; y++)
        {
            for (var x = 6; x < 10; x++)
            {
                logits[(y * 16) + x] = 10f;
            }
        }

        var mask = new byte[64 * 48];
        new MaskUpsampler().UpsampleAndThreshold(logits, 16, 16, mask, 64, 48);

        var stats = MaskStats.Compute(mask, 64, 48);
        Assert.Equal(new PixelBox(24, 18, 40, 30), stats.Box);
        Assert.Equal((16 * 12) - 4, stats.Area);
        Assert.Equal(0, mask[(18 * 64) + 24]);
        Assert.Equal(1, mask[(18 * 64) + 25]);
    }

    [Fact]
    public void UpsampleAndThreshold_SteadyState_AllocatesNothing()
    {
        var upsampler = new MaskUpsampler();
        var logits = RandomLogits(64 * 64, seed: 9);
        var mask = new byte[200 * 120];
        for (var i = 0; i < 50; i++)
        {
            upsampler.UpsampleAndThreshold(logits, 64, 64, mask, 200, 120);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            upsampler.UpsampleAndThreshold(logits, 64, 64, mask, 200, 120);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void UpsampleAndThreshold_MaskTooSmall_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MaskUpsampler().UpsampleAndThreshold(new float[4], 2, 2, new byte[15], 4, 4));
    }

    private static float[] RandomLogits(int count, int seed)
    {
        var random = new Random(seed);
        var logits = new float[count];
        for (var i = 0; i < count; i++)
        {
            logits[i] = (float)((random.NextDouble() * 8) - 4);
        }

        return logits;
    }
}
