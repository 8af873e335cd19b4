using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeSam2.Tracking.Imaging;

/// <summary>
/// Turns a packed RGB24 frame into SAM 2's image-encoder input: squash-resized to size×size (no letterbox),
/// then (x/255 − mean)/std per channel, planar CHW (R plane, G plane, B plane).
/// </summary>
/// <remarks>
/// The resize is bilinear with half-pixel centres and edge clamping (PyTorch <c>F.interpolate</c>,
/// <c>align_corners=False</c>, no antialias). SAM 2's own video loader resizes with PIL, whose filter
/// antialiases when shrinking; for the usual 1.5–2× shrink the difference is a slight softening.
/// </remarks>
public static class FrameNormalizer
{
    /// <summary>SAM 2's per-channel mean, RGB order, on the 0–1 scale.</summary>
    public static ReadOnlySpan<float> Mean => MeanValues;

    /// <summary>SAM 2's per-channel standard deviation, RGB order, on the 0–1 scale.</summary>
    public static ReadOnlySpan<float> Std => StdValues;

    /// <summary>1/(255·std) per channel: a byte value times this plus <see cref="InputBias"/> is the model input.</summary>
    public static ReadOnlySpan<float> InputScale => Scale;

    /// <summary>−mean/std per channel.</summary>
    public static ReadOnlySpan<float> InputBias => Bias;

    // v·Scale + Bias = (v/255 − mean)/std. Fields, not span properties over literals: those allocate in Debug builds.
    private static readonly float[] MeanValues = [0.485f, 0.456f, 0.406f];
    private static readonly float[] StdValues = [0.229f, 0.224f, 0.225f];
    private static readonly float[] Scale = [1f / (255f * 0.229f), 1f / (255f * 0.224f), 1f / (255f * 0.225f)];
    private static readonly float[] Bias = [-0.485f / 0.229f, -0.456f / 0.224f, -0.406f / 0.225f];

    // (v/255 − mean)/std for every byte value, per channel: the same-size path is then one load per byte.
    private static readonly float[] Lut = BuildLut();

    /// <summary>Writes the 3·size·size model input for a width×height RGB24 frame into <paramref name="chw"/>.</summary>
    public static void ToModelInput(ReadOnlySpan<byte> rgb24, int width, int height, Span<float> chw, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (rgb24.Length < width * height * 3)
        {
            throw new ArgumentException($"Frame holds {rgb24.Length} bytes, {width}x{height} RGB24 needs {width * height * 3}.", nameof(rgb24));
        }

        if (chw.Length < 3 * size * size)
        {
            throw new ArgumentException($"Output holds {chw.Length} floats, 3x{size}x{size} needs {3 * size * size}.", nameof(chw));
        }

        if (width == size && height == size)
        {
            NormalizeSameSize(rgb24, chw, size * size);
        }
        else
        {
            ResizeAndNormalize(rgb24, width, height, chw, size);
        }
    }

    private static void NormalizeSameSize(ReadOnlySpan<byte> rgb24, Span<float> chw, int pixels) =>
        NormalizePixels(rgb24, chw[..pixels], chw.Slice(pixels, pixels), chw.Slice(2 * pixels, pixels));

    /// <summary>Packed RGB24 pixels to normalised planar R, G and B (as many pixels as <paramref name="r"/> holds).</summary>
    private static void NormalizePixels(ReadOnlySpan<byte> rgb24, Span<float> r, Span<float> g, Span<float> b)
    {
        var pixels = r.Length;
        var i = Vector128.IsHardwareAccelerated ? NormalizeSameSizeVector(rgb24, r, g, b, pixels) : 0;
        var lut = Lut.AsSpan();
        for (var s = i * 3; i < pixels; i++, s += 3)
        {
            r[i] = lut[rgb24[s]];
            g[i] = lut[256 + rgb24[s + 1]];
            b[i] = lut[512 + rgb24[s + 2]];
        }
    }

    /// <summary>
    /// 16 pixels a step: three byte shuffles per channel pull its bytes out of the 48 interleaved ones (an index
    /// ≥ 16 yields 0, so the three partial results OR together), then widen to float and scale + bias.
    /// Returns the pixels done; the caller finishes the tail.
    /// </summary>
    private static int NormalizeSameSizeVector(ReadOnlySpan<byte> rgb24, Span<float> r, Span<float> g, Span<float> b, int pixels)
    {
        const byte Z = 0xFF;
        var rA = Vector128.Create(0, 3, 6, 9, 12, 15, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z);
        var rB = Vector128.Create(Z, Z, Z, Z, Z, Z, 2, 5, 8, 11, 14, Z, Z, Z, Z, Z);
        var rC = Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 1, 4, 7, 10, 13);
        var gA = Vector128.Create(1, 4, 7, 10, 13, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z);
        var gB = Vector128.Create(Z, Z, Z, Z, Z, 0, 3, 6, 9, 12, 15, Z, Z, Z, Z, Z);
        var gC = Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 2, 5, 8, 11, 14);
        var bA = Vector128.Create(2, 5, 8, 11, 14, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z);
        var bB = Vector128.Create(Z, Z, Z, Z, Z, 1, 4, 7, 10, 13, Z, Z, Z, Z, Z, Z);
        var bC = Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 0, 3, 6, 9, 12, 15);
        float sr = Scale[0], sg = Scale[1], sb = Scale[2], br = Bias[0], bg = Bias[1], bb = Bias[2];
        var i = 0;
        for (; i <= pixels - 16; i += 16)
        {
            var src = rgb24.Slice(i * 3, 48);
            var a = Vector128.Create(src[..16]);
            var m = Vector128.Create(src.Slice(16, 16));
            var c = Vector128.Create(src.Slice(32, 16));
            Store(Vector128.Shuffle(a, rA) | Vector128.Shuffle(m, rB) | Vector128.Shuffle(c, rC), sr, br, r.Slice(i, 16));
            Store(Vector128.Shuffle(a, gA) | Vector128.Shuffle(m, gB) | Vector128.Shuffle(c, gC), sg, bg, g.Slice(i, 16));
            Store(Vector128.Shuffle(a, bA) | Vector128.Shuffle(m, bB) | Vector128.Shuffle(c, bC), sb, bb, b.Slice(i, 16));
        }

        return i;
    }

    /// <summary>
    /// 16 channel bytes to 16 normalised floats, through the widest zero-extension the CPU has: AVX-512 (bytes straight
    /// to 16 int32 lanes) was 3.3× the portable chain's speed on a 512² frame (tests/EdgeSam2.Benchmarks/README.md).
    /// Every path multiplies, then adds, as two operations (never fused), so all write the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<byte> bytes, float scale, float bias, Span<float> destination)
    {
        if (Avx512F.IsSupported)
        {
            StoreAvx512(bytes, scale, bias, destination);
        }
        else if (Avx2.IsSupported)
        {
            StoreAvx2(bytes, scale, bias, destination);
        }
        else
        {
            StorePortable(bytes, scale, bias, destination);
        }
    }

    /// <summary>One zero-extension to 16 int32 lanes, one convert, one multiply, one add, one 64-byte store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreAvx512(Vector128<byte> bytes, float scale, float bias, Span<float> destination)
    {
        var wide = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(bytes));
        ((wide * Vector512.Create(scale)) + Vector512.Create(bias)).CopyTo(destination);
    }

    /// <summary>Two zero-extensions of 8 bytes to int32 (the upper 8 shifted down first), each converted and stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreAvx2(Vector128<byte> bytes, float scale, float bias, Span<float> destination)
    {
        var vs = Vector256.Create(scale);
        var vb = Vector256.Create(bias);
        var low = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(bytes));
        var high = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(bytes, 8)));
        ((low * vs) + vb).CopyTo(destination);
        ((high * vs) + vb).CopyTo(destination[8..]);
    }

    /// <summary>Any 128-bit SIMD (Arm64 AdvSimd on a Jetson): byte → ushort → uint in four quarters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StorePortable(Vector128<byte> bytes, float scale, float bias, Span<float> destination)
    {
        var vs = Vector128.Create(scale);
        var vb = Vector128.Create(bias);
        var (lo, hi) = Vector128.Widen(bytes);
        var (q0, q1) = Vector128.Widen(lo);
        var (q2, q3) = Vector128.Widen(hi);
        ((Vector128.ConvertToSingle(q0) * vs) + vb).CopyTo(destination);
        ((Vector128.ConvertToSingle(q1) * vs) + vb).CopyTo(destination[4..]);
        ((Vector128.ConvertToSingle(q2) * vs) + vb).CopyTo(destination[8..]);
        ((Vector128.ConvertToSingle(q3) * vs) + vb).CopyTo(destination[12..]);
    }

    private static void ResizeAndNormalize(ReadOnlySpan<byte> rgb24, int width, int height, Span<float> chw, int size)
    {
        // Column taps: source index and weight per output column, computed once per call.
        var taps = ArrayPool<int>.Shared.Rent(2 * size);
        var weights = ArrayPool<float>.Shared.Rent(size);
        var rows = ArrayPool<float>.Shared.Rent(2 * 3 * size);
        try
        {
            var x0s = taps.AsSpan(0, size);
            var x1s = taps.AsSpan(size, size);
            var wx = weights.AsSpan(0, size);
            BilinearTaps.Compute(width, size, x0s, x1s, wx);

            var top = rows.AsSpan(0, 3 * size);
            var bottom = rows.AsSpan(3 * size, 3 * size);
            int topRow = -1, bottomRow = -1;
            var plane = size * size;
            var yScale = (float)height / size;
            for (var y = 0; y < size; y++)
            {
                BilinearTaps.Source(y, yScale, height, out var y0, out var y1, out var ly);
                if (y0 != topRow)
                {
                    if (y0 == bottomRow)
                    {
                        // Moving down one source row: the old bottom becomes the top, no re-interpolation.
                        var swap = top;
                        top = bottom;
                        bottom = swap;
                        (topRow, bottomRow) = (bottomRow, topRow);
                    }
                    else
                    {
                        InterpolateRow(rgb24.Slice(y0 * width * 3, width * 3), x0s, x1s, wx, top);
                        topRow = y0;
                    }
                }

                if (ly != 0 && y1 != bottomRow)
                {
                    InterpolateRow(rgb24.Slice(y1 * width * 3, width * 3), x0s, x1s, wx, bottom);
                    bottomRow = y1;
                }

                // Rows hold normalised values already: normalising is affine and the weights sum to 1.
                for (var c = 0; c < 3; c++)
                {
                    var dst = chw.Slice((c * plane) + (y * size), size);
                    if (ly == 0)
                    {
                        top.Slice(c * size, size).CopyTo(dst);
                    }
                    else
                    {
                        TensorPrimitives.Lerp(top.Slice(c * size, size), bottom.Slice(c * size, size), ly, dst);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rows);
            ArrayPool<float>.Shared.Return(weights);
            ArrayPool<int>.Shared.Return(taps);
        }
    }

    /// <summary>
    /// One source row to one normalised planar row of <c>size</c> columns. A row as wide as the output (taps i, weight 0:
    /// only the height changes, as for a 512×384 frame into a 512 model) is normalised as a same-size frame is, vectorised;
    /// otherwise each column interpolates its two taps' bytes, then normalises (normalising every source pixel first
    /// costs more when shrinking: 1920 → 1024 columns took 1.6× as long).
    /// </summary>
    private static void InterpolateRow(ReadOnlySpan<byte> src, ReadOnlySpan<int> x0s, ReadOnlySpan<int> x1s, ReadOnlySpan<float> wx, Span<float> planarRow)
    {
        var size = x0s.Length;
        if (src.Length == 3 * size)
        {
            NormalizePixels(src, planarRow[..size], planarRow.Slice(size, size), planarRow.Slice(2 * size, size));
            return;
        }

        var r = planarRow[..size];
        var g = planarRow.Slice(size, size);
        var b = planarRow.Slice(2 * size, size);
        float sr = Scale[0], sg = Scale[1], sb = Scale[2], br = Bias[0], bg = Bias[1], bb = Bias[2];
        for (var x = 0; x < size; x++)
        {
            int a = x0s[x] * 3, e = x1s[x] * 3;
            float l = wx[x], k = 1f - l;
            r[x] = (((k * src[a]) + (l * src[e])) * sr) + br;
            g[x] = (((k * src[a + 1]) + (l * src[e + 1])) * sg) + bg;
            b[x] = (((k * src[a + 2]) + (l * src[e + 2])) * sb) + bb;
        }
    }

    private static float[] BuildLut()
    {
        var lut = new float[3 * 256];
        for (var c = 0; c < 3; c++)
        {
            for (var v = 0; v < 256; v++)
            {
                lut[(c * 256) + v] = ((v / 255f) - Mean[c]) / Std[c];
            }
        }

        return lut;
    }
}
