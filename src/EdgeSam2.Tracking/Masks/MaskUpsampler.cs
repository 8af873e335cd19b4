using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeSam2.Tracking.Imaging;

namespace EdgeSam2.Tracking.Masks;

/// <summary>
/// Upsamples low-resolution mask logits to the frame and thresholds them: bilinear with half-pixel centres and
/// edge clamping (PyTorch <c>F.interpolate(mode="bilinear", align_corners=False)</c>), then 1 where the value
/// is &gt; 0. A non-square frame inverts the encoder's squash resize. One instance per worker: it caches the
/// column taps for the last size pair, so steady-state calls allocate nothing. Not thread-safe.
/// </summary>
public sealed class MaskUpsampler
{
    private int _lowWidth, _lowHeight, _width, _height;
    private int[] _x0 = [], _x1 = [];
    private float[] _wx = [], _top = [], _bottom = [];

    /// <summary>Sizes the cached taps and row buffers; <see cref="UpsampleAndThreshold"/> calls it when sizes change.</summary>
    public void Prepare(int lowWidth, int lowHeight, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lowWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lowHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (lowWidth == _lowWidth && lowHeight == _lowHeight && width == _width && height == _height)
        {
            return;
        }

        if (_x0.Length != width)
        {
            _x0 = new int[width];
            _x1 = new int[width];
            _wx = new float[width];
            _top = new float[width];
            _bottom = new float[width];
        }

        BilinearTaps.Compute(lowWidth, width, _x0, _x1, _wx);
        (_lowWidth, _lowHeight, _width, _height) = (lowWidth, lowHeight, width, height);
    }

    /// <summary>Writes the width×height row-major mask (1 = logit &gt; 0) for lowWidth×lowHeight row-major logits.</summary>
    public void UpsampleAndThreshold(ReadOnlySpan<float> logits, int lowWidth, int lowHeight, Span<byte> mask, int width, int height)
    {
        Prepare(lowWidth, lowHeight, width, height);
        if (logits.Length < lowWidth * lowHeight)
        {
            throw new ArgumentException($"Logits hold {logits.Length} values, {lowWidth}x{lowHeight} needs {lowWidth * lowHeight}.", nameof(logits));
        }

        if (mask.Length < width * height)
        {
            throw new ArgumentException($"Mask holds {mask.Length} bytes, {width}x{height} needs {width * height}.", nameof(mask));
        }

        var frame = mask[..(width * height)];
        var cells = LowResBox.Find(logits, lowWidth, lowHeight);
        if (cells.IsEmpty)
        {
            frame.Clear();
            return;
        }

        // A pixel interpolates the 2×2 cells around it, so only pixels within one cell of a positive cell can be
        // positive: interpolate that region and clear the rest (an object covers a small part of a 1080p frame).
        var (xStart, xEnd) = PixelRange(cells.X1, cells.X2, lowWidth, width);
        var (yStart, yEnd) = PixelRange(cells.Y1, cells.Y2, lowHeight, height);
        frame[..(yStart * width)].Clear();
        frame[(yEnd * width)..].Clear();

        var span = xEnd - xStart;
        var top = _top.AsSpan(xStart, span);
        var bottom = _bottom.AsSpan(xStart, span);
        int topRow = -1, bottomRow = -1;
        var yScale = (float)lowHeight / height;
        for (var y = yStart; y < yEnd; y++)
        {
            BilinearTaps.Source(y, yScale, lowHeight, out var y0, out var y1, out var ly);
            if (y0 != topRow)
            {
                if (y0 == bottomRow)
                {
                    // Stepping down one low-res row: reuse the interpolated bottom row as the new top.
                    var swap = top;
                    top = bottom;
                    bottom = swap;
                    (topRow, bottomRow) = (bottomRow, topRow);
                }
                else
                {
                    InterpolateRow(logits.Slice(y0 * lowWidth, lowWidth), top, xStart);
                    topRow = y0;
                }
            }

            if (y1 != bottomRow)
            {
                InterpolateRow(logits.Slice(y1 * lowWidth, lowWidth), bottom, xStart);
                bottomRow = y1;
            }

            var row = frame.Slice(y * width, width);
            row[..xStart].Clear();
            row[xEnd..].Clear();
            BlendAndThreshold(top, bottom, ly, row[xStart..xEnd]);
        }
    }

    /// <summary>
    /// Output pixels whose taps can reach cells [c1, c2): source coordinate (p + ½)·low/n − ½ must lie in
    /// [c1 − 1, c2); rounded outwards, so the range is never too small.
    /// </summary>
    private static (int Start, int End) PixelRange(int c1, int c2, int low, int n)
    {
        var scale = (double)n / low;
        var start = (int)Math.Floor(((c1 - 0.5) * scale) - 0.5);
        var end = (int)Math.Ceiling(((c2 + 0.5) * scale) - 0.5) + 1;
        return (Math.Clamp(start, 0, n), Math.Clamp(end, 0, n));
    }

    private void InterpolateRow(ReadOnlySpan<float> src, Span<float> dst, int xStart)
    {
        var x0 = _x0.AsSpan(xStart, dst.Length);
        var x1 = _x1.AsSpan(xStart, dst.Length);
        var wx = _wx.AsSpan(xStart, dst.Length);
        for (var x = 0; x < dst.Length; x++)
        {
            var l = wx[x];
            dst[x] = ((1f - l) * src[x0[x]]) + (l * src[x1[x]]);
        }
    }

    // Same expression as PyTorch's kernel, (1 − l)·a + l·b, so the sign agrees except within rounding of 0.
    private static void BlendAndThreshold(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, float ly, Span<byte> mask)
    {
        var k = 1f - ly;
        var x = 0;
        ref var expand = ref MemoryMarshal.GetArrayDataReference(BitsToBytes);
        var outBytes = MemoryMarshal.Cast<byte, ulong>(mask[..(mask.Length & ~7)]);
        if (Vector256.IsHardwareAccelerated)
        {
            var vk = Vector256.Create(k);
            var vl = Vector256.Create(ly);
            for (; x <= top.Length - 8; x += 8)
            {
                var v = (Vector256.Create(top.Slice(x, 8)) * vk) + (Vector256.Create(bottom.Slice(x, 8)) * vl);
                var bits = Vector256.GreaterThan(v, Vector256<float>.Zero).ExtractMostSignificantBits();
                outBytes[x >> 3] = Unsafe.Add(ref expand, (int)bits);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var vk = Vector128.Create(k);
            var vl = Vector128.Create(ly);
            for (; x <= top.Length - 8; x += 8)
            {
                var lo = (Vector128.Create(top.Slice(x, 4)) * vk) + (Vector128.Create(bottom.Slice(x, 4)) * vl);
                var hi = (Vector128.Create(top.Slice(x + 4, 4)) * vk) + (Vector128.Create(bottom.Slice(x + 4, 4)) * vl);
                var bits = Vector128.GreaterThan(lo, Vector128<float>.Zero).ExtractMostSignificantBits()
                    | (Vector128.GreaterThan(hi, Vector128<float>.Zero).ExtractMostSignificantBits() << 4);
                outBytes[x >> 3] = Unsafe.Add(ref expand, (int)bits);
            }
        }

        for (; x < top.Length; x++)
        {
            mask[x] = (k * top[x]) + (ly * bottom[x]) > 0 ? (byte)1 : (byte)0;
        }
    }

    // Entry b holds, little-endian, the 8 bytes (bit i of b) for i = 0..7: one store writes 8 mask pixels.
    private static readonly ulong[] BitsToBytes = BuildBitsToBytes();

    private static ulong[] BuildBitsToBytes()
    {
        var table = new ulong[256];
        for (var b = 0; b < 256; b++)
        {
            ulong v = 0;
            for (var i = 0; i < 8; i++)
            {
                v |= (ulong)((b >> i) & 1) << (8 * i);
            }

            table[b] = BitConverter.IsLittleEndian ? v : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);
        }

        return table;
    }
}
