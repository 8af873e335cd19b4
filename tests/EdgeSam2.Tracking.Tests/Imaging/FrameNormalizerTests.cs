using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeSam2.Tracking.Imaging;

namespace EdgeSam2.Tracking.Tests.Imaging;

public sealed class FrameNormalizerTests
{
    private static readonly double[] Mean = [0.485, 0.456, 0.406];
    private static readonly double[] Std = [0.229, 0.224, 0.225];

    [Theory]
    [InlineData(19)] // vector steps of 16 pixels plus a scalar tail
    [InlineData(64)] // vector steps only
    [InlineData(3)]  // scalar only
    public void ToModelInput_SameSize_AppliesMeanAndStdPerPlane(int size)
    {
        var rgb = RandomFrame(size, size, seed: size);
        var chw = new float[3 * size * size];

        FrameNormalizer.ToModelInput(rgb, size, size, chw, size);

        for (var c = 0; c < 3; c++)
        {
            for (var p = 0; p < size * size; p++)
            {
                var expected = ((rgb[(3 * p) + c] / 255.0) - Mean[c]) / Std[c];
                Assert.Equal(expected, chw[(c * size * size) + p], 1e-5);
            }
        }
    }

    [Fact]
    public void Widening_EveryPathTheCpuHas_WritesThePortablePathsBits()
    {
        // Every byte value in every lane position, at each channel's scale and bias; the portable path against the
        // formula, then each wider path the CPU has against the portable path's bits.
        var bytes = new byte[256 + 16];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 7) + (i >> 4));
        }

        var paths = new List<(string Name, Action<Vector128<byte>, float, float, Span<float>> Store)>();
        if (Avx512F.IsSupported)
        {
            paths.Add(("AVX-512", static (v, s, b, d) => FrameNormalizer.StoreAvx512(v, s, b, d)));
        }

        if (Avx2.IsSupported)
        {
            paths.Add(("AVX2", static (v, s, b, d) => FrameNormalizer.StoreAvx2(v, s, b, d)));
        }

        var expected = new float[16];
        var actual = new float[16];
        for (var c = 0; c < 3; c++)
        {
            for (var start = 0; start + 16 <= bytes.Length; start++)
            {
                var v = Vector128.Create(bytes.AsSpan(start, 16));
                FrameNormalizer.StorePortable(v, FrameNormalizer.InputScale[c], FrameNormalizer.InputBias[c], expected);
                for (var i = 0; i < 16; i++)
                {
                    Assert.Equal(((bytes[start + i] / 255.0) - Mean[c]) / Std[c], expected[i], 1e-5);
                }

                foreach (var (name, store) in paths)
                {
                    store(v, FrameNormalizer.InputScale[c], FrameNormalizer.InputBias[c], actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name} differs from the portable path at channel {c}, bytes from {start}");
                }
            }
        }
    }

    [Fact]
    public void ToModelInput_WhiteRedPixel_GivesKnownValues()
    {
        var chw = new float[3];
        FrameNormalizer.ToModelInput([255, 0, 128], 1, 1, chw, 1);

        Assert.Equal((1 - 0.485) / 0.229, chw[0], 1e-5);  // 2.24891
        Assert.Equal(-0.456 / 0.224, chw[1], 1e-5);       // −2.03571
        Assert.Equal(((128 / 255.0) - 0.406) / 0.225, chw[2], 1e-5);
    }

    [Theory]
    [InlineData(37, 23, 16)]
    [InlineData(5, 3, 11)]
    [InlineData(64, 48, 32)]
    [InlineData(1, 1, 4)]
    [InlineData(17, 16, 16)]
    [InlineData(19, 7, 19)]   // only the height changes: rows normalised as a same-size frame (16-pixel steps and a tail)
    [InlineData(512, 384, 512)] // the test set's scenes
    [InlineData(24, 16, 16)]  // only the width changes: every output row copies one interpolated source row
    public void ToModelInput_Resize_MatchesSlowBilinearReference(int width, int height, int size)
    {
        var rgb = RandomFrame(width, height, seed: width * 31 + height);
        var chw = new float[3 * size * size];

        FrameNormalizer.ToModelInput(rgb, width, height, chw, size);

        var expected = ReferenceResizeNormalize(rgb, width, height, size);
        for (var i = 0; i < chw.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - chw[i]) < 1e-4, $"element {i}: expected {expected[i]}, got {chw[i]}");
        }
    }

    [Fact]
    public void ToModelInput_UniformFrameResized_EveryValueIsTheNormalisedColour()
    {
        const int width = 40, height = 30, size = 24;
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i += 3)
        {
            (rgb[i], rgb[i + 1], rgb[i + 2]) = ((byte)200, (byte)100, (byte)50);
        }

        var chw = new float[3 * size * size];
        FrameNormalizer.ToModelInput(rgb, width, height, chw, size);

        for (var c = 0; c < 3; c++)
        {
            var expected = ((rgb[c] / 255.0) - Mean[c]) / Std[c];
            for (var p = 0; p < size * size; p++)
            {
                Assert.Equal(expected, chw[(c * size * size) + p], 1e-4);
            }
        }
    }

    [Fact]
    public void ToModelInput_SteadyState_AllocatesNothing()
    {
        var rgb = RandomFrame(160, 120, seed: 8);
        var chw = new float[3 * 64 * 64];
        for (var i = 0; i < 50; i++)
        {
            FrameNormalizer.ToModelInput(rgb, 160, 120, chw, 64);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            FrameNormalizer.ToModelInput(rgb, 160, 120, chw, 64);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void ToModelInput_OutputTooSmall_Throws()
    {
        var rgb = new byte[4 * 4 * 3];
        Assert.Throws<ArgumentException>(() => FrameNormalizer.ToModelInput(rgb, 4, 4, new float[(3 * 8 * 8) - 1], 8));
    }

    // Obvious per-pixel form of PyTorch's align_corners=False bilinear, in double, then the normalisation.
    private static double[] ReferenceResizeNormalize(byte[] rgb, int width, int height, int size)
    {
        var result = new double[3 * size * size];
        for (var y = 0; y < size; y++)
        {
            var (y0, y1, ly) = Taps(y, height, size);
            for (var x = 0; x < size; x++)
            {
                var (x0, x1, lx) = Taps(x, width, size);
                for (var c = 0; c < 3; c++)
                {
                    double At(int yy, int xx) => rgb[(((yy * width) + xx) * 3) + c];
                    var v = ((1 - ly) * (((1 - lx) * At(y0, x0)) + (lx * At(y0, x1)))) + (ly * (((1 - lx) * At(y1, x0)) + (lx * At(y1, x1))));
                    result[(c * size * size) + (y * size) + x] = ((v / 255.0) - Mean[c]) / Std[c];
                }
            }
        }

        return result;
    }

    internal static (int First, int Second, double Weight) Taps(int i, int inSize, int outSize)
    {
        var src = Math.Max(0, (((double)inSize / outSize) * (i + 0.5)) - 0.5);
        var first = Math.Min((int)Math.Floor(src), inSize - 1);
        return (first, Math.Min(first + 1, inSize - 1), src - first);
    }

    private static byte[] RandomFrame(int width, int height, int seed)
    {
        var rgb = new byte[width * height * 3];
        new Random(seed).NextBytes(rgb);
        return rgb;
    }
}
