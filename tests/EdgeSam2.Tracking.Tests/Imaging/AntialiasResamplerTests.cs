using EdgeSam2.Tracking.Imaging;

namespace EdgeSam2.Tracking.Tests.Imaging;

public sealed class AntialiasResamplerTests
{
    // PyTorch 1.13's F.interpolate(mask, size=(s, s), mode="bilinear", align_corners=False, antialias=True) >= 0.5 on the
    // 13×9 mask below: what SAM 2's add_new_mask feeds the model for a mask not at the input size.
    [Theory]
    [InlineData(4, "0100111101100010")]
    [InlineData(6, "000010111111011110011110011110000000")]
    [InlineData(20, "1100010010001101100011000100100011011000001000110100001001000010001101100010010011011111111111111011110111111111111110111101111111111111101100100111111111100100001011111111111001000001111111111110001100011111111111110001100011111111111110001100011111111111100000100111111111110100001001111111111001000010011111111110010011011000100100011011110110001001000010110010010001101100010000100100011011000100")]
    public void ResizeMask_DownAndUp_MatchesPyTorchAntialiasedBilinear(int size, string expected)
    {
        const int W = 13, H = 9;
        var mask = new byte[W * H];
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                mask[(y * W) + x] = (byte)(((x * 7) + (y * 3)) % 5 < 2 || (x is >= 3 and <= 9 && y is >= 2 and <= 6) ? 1 : 0);
            }
        }

        var output = new float[size * size];
        var set = AntialiasResampler.ResizeMask(mask, W, H, size, output);

        Assert.Equal(expected, string.Concat(output.Select(v => v > 0 ? '1' : '0')));
        Assert.Equal(expected.Count(c => c == '1'), set);
    }

    [Fact]
    public void ResizeMask_SameSize_CopiesAsZeroOrOne()
    {
        var output = new float[4];
        Assert.Equal(2, AntialiasResampler.ResizeMask([0, 7, 1, 0], 2, 2, 2, output));
        Assert.Equal([0f, 1f, 1f, 0f], output);
    }
}
