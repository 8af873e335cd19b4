using System.Numerics;
using System.Runtime.Intrinsics;

namespace EdgeSam2.Tracking.Masks;

/// <summary>Overlap measures between binary masks of the same size (any non-zero byte is foreground).</summary>
public static class MaskMetrics
{
    /// <summary>Intersection over union; 1.0 when both masks are empty (they agree perfectly).</summary>
    public static double IoU(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        Overlap(a, b, out var intersection, out var union);
        return union == 0 ? 1.0 : (double)intersection / union;
    }

    /// <summary>Counts pixels set in both masks and in either.</summary>
    public static void Overlap(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, out long intersection, out long union)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Masks differ in size: {a.Length} and {b.Length} bytes.", nameof(b));
        }

        long both = 0, either = 0;
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                var zeroA = Vector128.Equals(Vector128.Create(a.Slice(i, Vector128<byte>.Count)), Vector128<byte>.Zero);
                var zeroB = Vector128.Equals(Vector128.Create(b.Slice(i, Vector128<byte>.Count)), Vector128<byte>.Zero);
                both += BitOperations.PopCount(~(zeroA | zeroB).ExtractMostSignificantBits() & 0xFFFFu);
                either += BitOperations.PopCount(~(zeroA & zeroB).ExtractMostSignificantBits() & 0xFFFFu);
            }
        }

        for (; i < a.Length; i++)
        {
            bool inA = a[i] != 0, inB = b[i] != 0;
            both += inA && inB ? 1 : 0;
            either += inA || inB ? 1 : 0;
        }

        intersection = both;
        union = either;
    }
}
