using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Tracking.Tests.Masks;

public sealed class MemoryMaskBuilderTests
{
    /// <summary>A 2×2 mask to 4×4: the corner pixels take their cell's logit (edge clamping), then sigmoid·20 − 10.</summary>
    [Fact]
    public void Build_TwoByTwoToFourByFour_BilinearThenScaledSigmoid()
    {
        float[] logits = [2f, -2f, 0f, 4f];
        var mask = new float[16];
        new MemoryMaskBuilder().Build(logits, 2, mask, 4);

        static float Scaled(float v) => (20f / (1f + MathF.Exp(-v))) - 10f;
        Assert.Equal(Scaled(2f), mask[0], 5);
        Assert.Equal(Scaled(-2f), mask[3], 5);
        Assert.Equal(Scaled(0f), mask[12], 5);
        Assert.Equal(Scaled(4f), mask[15], 5);
        // Pixel (1,0) samples x = 0.25 between the first two cells: 0.75·2 + 0.25·(−2) = 1.
        Assert.Equal(Scaled(1f), mask[1], 5);
    }

    [Fact]
    public void Build_FromPrompt_BinarisesBySign()
    {
        float[] logits = [2f, -2f, -0.5f, 4f];
        var mask = new float[16];
        new MemoryMaskBuilder().Build(logits, 2, mask, 4, fromPrompt: true);
        Assert.Equal([10f, -10f, -10f, 10f], new[] { mask[0], mask[3], mask[12], mask[15] });
    }

    [Fact]
    public void Build_SteadyState_AllocatesNothing()
    {
        var builder = new MemoryMaskBuilder();
        var logits = new float[32 * 32];
        var mask = new float[128 * 128];
        builder.Build(logits, 32, mask, 128);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            builder.Build(logits, 32, mask, 128);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Build_BuffersTooSmall_ThrowsNamingTheSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new MemoryMaskBuilder().Build(new float[3], 2, new float[16], 4));
        Assert.Contains("2² logits into a 4² mask", e.Message, StringComparison.Ordinal);
    }
}
