using System.Buffers;
using System.Text;

namespace EdgeSam2.Tracking.Masks;

/// <summary>
/// COCO compressed run-length encoding, byte-identical to pycocotools <c>mask.encode</c> (its maskApi.c
/// <c>rleEncode</c> + <c>rleToString</c>). The mask is read column-major (down each column, columns left to
/// right) as alternating runs starting with a run of zeros, which may be empty. Each run count from the
/// fourth on is replaced by its difference from the count two before it (same value, so usually small);
/// every value is written as little-endian 5-bit groups, sign-extended from the last group's bit 4, with
/// bit 5 set on all groups but the last, and 48 added to make printable ASCII ('0'..'o').
/// </summary>
public static class CocoRle
{
    // A run count is at most 2^32 − 1, so a difference needs 34 bits with sign: 7 groups of 5.
    private const int MaxCharsPerCount = 7;

    /// <summary>Upper bound of the encoded length of any width×height mask.</summary>
    public static long MaxEncodedLength(int width, int height) => (((long)width * height) + 1) * MaxCharsPerCount;

    /// <summary>Encodes a row-major width×height mask (any non-zero byte is foreground) as the <c>counts</c> string.</summary>
    public static string Encode(ReadOnlySpan<byte> mask, int width, int height)
    {
        var guess = (int)Math.Min(MaxEncodedLength(width, height), 16 * 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(guess);
        try
        {
            if (TryEncode(mask, width, height, buffer, out var written))
            {
                return Encoding.ASCII.GetString(buffer, 0, written);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // Only masks with thousands of runs (noise) get here.
        var bound = MaxEncodedLength(width, height);
        if (bound > Array.MaxLength)
        {
            throw new ArgumentException($"A {width}x{height} mask is too large to encode.", nameof(mask));
        }

        buffer = ArrayPool<byte>.Shared.Rent((int)bound);
        try
        {
            TryEncode(mask, width, height, buffer, out var written);
            return Encoding.ASCII.GetString(buffer, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Encodes into ASCII bytes without allocating. False when <paramref name="destination"/> is too small
    /// (<see cref="MaxEncodedLength"/> is always enough); then <paramref name="bytesWritten"/> is 0.
    /// </summary>
    public static bool TryEncode(ReadOnlySpan<byte> mask, int width, int height, Span<byte> destination, out int bytesWritten)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        if (mask.Length < width * height)
        {
            throw new ArgumentException($"Mask holds {mask.Length} bytes, {width}x{height} needs {width * height}.", nameof(mask));
        }

        var writer = new CountWriter(destination);
        var box = MaskStats.BoundingBox(mask, width, height);
        if (box.IsEmpty)
        {
            writer.AddRun(0, (long)width * height);
        }
        else
        {
            // Outside the tight box every pixel is 0: add those stretches as whole runs, scan only inside it.
            writer.AddRun(0, ((long)box.X1 * height) + box.Y1);
            for (var x = box.X1; x < box.X2; x++)
            {
                if (x > box.X1)
                {
                    writer.AddRun(0, height - box.Y2 + box.Y1);
                }

                var y = box.Y1;
                while (y < box.Y2)
                {
                    var start = y;
                    var set = mask[(y * width) + x] != 0;
                    for (y++; y < box.Y2 && (mask[(y * width) + x] != 0) == set; y++)
                    {
                    }

                    writer.AddRun(set ? 1 : 0, y - start);
                }
            }

            writer.AddRun(0, (long)(height - box.Y2) + ((long)(width - box.X2) * height));
        }

        if (!writer.Finish())
        {
            bytesWritten = 0;
            return false;
        }

        bytesWritten = writer.Written;
        return true;
    }

    /// <summary>
    /// Decodes a <c>counts</c> string into a row-major width×height mask of 0/1. Malformed input (a character
    /// outside '0'..'o', a truncated or over-long value, a negative run, runs that do not cover exactly
    /// width·height pixels) gives a failed result naming the problem; the mask content is then unspecified.
    /// </summary>
    public static RleDecodeResult Decode(ReadOnlySpan<char> counts, int width, int height, Span<byte> mask)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        var total = (long)width * height;
        if (mask.Length < total)
        {
            throw new ArgumentException($"Mask holds {mask.Length} bytes, {width}x{height} needs {total}.", nameof(mask));
        }

        mask[..(int)total].Clear();
        return Walk(counts, width, height, mask, fill: true, out _);
    }

    /// <summary>
    /// Checks a <c>counts</c> string as <see cref="Decode"/> does and counts its foreground pixels, without a mask
    /// buffer: a width×height mask is validated at the cost of its string, not of its pixels.
    /// </summary>
    public static RleDecodeResult Measure(ReadOnlySpan<char> counts, int width, int height, out long foreground)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        return Walk(counts, width, height, [], fill: false, out foreground);
    }

    private static RleDecodeResult Walk(ReadOnlySpan<char> counts, int width, int height, Span<byte> mask, bool fill, out long foreground)
    {
        foreground = 0;
        var total = (long)width * height;
        long position = 0, twoBack = 0, oneBack = 0;
        var index = 0;
        var p = 0;
        while (p < counts.Length)
        {
            long value = 0;
            var group = 0;
            bool more;
            do
            {
                if (p >= counts.Length)
                {
                    return RleDecodeResult.Fail("the last count is truncated (its final character has the continuation bit)");
                }

                var c = counts[p++] - 48;
                if (c is < 0 or > 63)
                {
                    return RleDecodeResult.Fail($"character {p - 1} is outside '0'..'o'");
                }

                if (group == MaxCharsPerCount)
                {
                    return RleDecodeResult.Fail($"count {index} is longer than {MaxCharsPerCount} characters");
                }

                value |= (long)(c & 0x1f) << (5 * group);
                group++;
                more = (c & 0x20) != 0;
                if (!more && (c & 0x10) != 0)
                {
                    value |= -1L << (5 * group);
                }
            }
            while (more);

            if (index > 2)
            {
                value += twoBack;
            }

            if (value < 0)
            {
                return RleDecodeResult.Fail($"count {index} is negative");
            }

            if (value > total - position)
            {
                return RleDecodeResult.Fail($"counts cover more than the {total} pixels of a {width}x{height} mask");
            }

            if ((index & 1) == 1)
            {
                foreground += value;
                if (fill)
                {
                    FillColumnMajor(mask, width, height, position, value);
                }
            }

            position += value;
            (twoBack, oneBack) = (oneBack, value);
            index++;
        }

        return position == total
            ? RleDecodeResult.Ok
            : RleDecodeResult.Fail($"counts cover {position} pixels, a {width}x{height} mask has {total}");
    }

    private static void FillColumnMajor(Span<byte> mask, int width, int height, long start, long length)
    {
        while (length > 0)
        {
            var x = (int)(start / height);
            var y = (int)(start % height);
            var n = (int)Math.Min(length, height - y);
            for (var i = 0; i < n; i++)
            {
                mask[((y + i) * width) + x] = 1;
            }

            start += n;
            length -= n;
        }
    }

    /// <summary>Accumulates runs and writes each finished count in the compressed form as soon as it closes.</summary>
    private ref struct CountWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;
        private int _value;
        private long _run;
        private long _index;
        private long _twoBack, _oneBack;
        private bool _overflow;

        public int Written { get; private set; }

        public void AddRun(int value, long length)
        {
            if (length == 0)
            {
                return;
            }

            if (value != _value)
            {
                Emit(_run);
                _value = value;
                _run = 0;
            }

            _run += length;
        }

        public bool Finish()
        {
            Emit(_run);
            return !_overflow;
        }

        private void Emit(long count)
        {
            var x = _index > 2 ? count - _twoBack : count;
            (_twoBack, _oneBack) = (_oneBack, count);
            _index++;
            if (_overflow || Written > _destination.Length - MaxCharsPerCount)
            {
                // Check against the worst case so the inner loop needs no bounds logic of its own.
                _overflow |= !Fits(x);
                if (_overflow)
                {
                    return;
                }
            }

            bool more;
            do
            {
                var c = (int)(x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more)
                {
                    c |= 0x20;
                }

                _destination[Written++] = (byte)(c + 48);
            }
            while (more);
        }

        private readonly bool Fits(long x)
        {
            var chars = 1;
            for (var v = x; (v >> 4) is not 0 and not -1; v >>= 5)
            {
                chars++;
            }

            return Written + chars <= _destination.Length;
        }
    }
}
