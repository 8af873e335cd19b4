using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Tracking.Tests.Masks;

/// <summary>
/// Golden cases for the pycocotools compressed RLE. Derivation rules (maskApi.c): read the mask column by
/// column; runs alternate 0,1,0,… starting with zeros (possibly an empty run); for run index i &gt; 2 write
/// count[i] − count[i−2]; write each value as 5-bit groups, low first: c = x &amp; 31, x &gt;&gt;= 5 (arithmetic),
/// continue while x is not the sign extension of c's bit 4 (x ≠ 0 when bit 4 is clear, x ≠ −1 when set),
/// set bit 5 on all but the last group, add 48.
/// </summary>
public sealed class CocoRleTests
{
    public static TheoryData<string, int, int, byte[], string> HandDerived => new()
    {
        // 1×1 [0]: runs [1] → 1 → '1' (48 + 1).
        { "1x1 zero", 1, 1, [0], "1" },

        // 1×1 [1]: runs [0, 1] (the leading zero run is empty) → "0" + "1".
        { "1x1 one", 1, 1, [1], "01" },

        // 4 wide × 3 high, all 0: runs [12] → '<' (48 + 12).
        { "all zero 4x3", 4, 3, new byte[12], "<" },

        // 2×2 all 1: runs [0, 4] → "0" + "4".
        { "all one 2x2", 2, 2, [1, 1, 1, 1], "04" },

        // 4×4 all 0: runs [16]. 16 = 0b10000: c = 16 has bit 4 set, x = 0 ≠ −1 so continue: c | 32 = 48 → '`' (96);
        // then c = 0, x = 0 → '0'. Without the extra group a reader would sign-extend 16 to −16.
        { "all zero 4x4", 4, 4, new byte[16], "`0" },

        // 20×20 all 0: runs [400]. 400 = 12·32 + 16: c = 16 (bit 4), x = 12 → 16 | 32 = 48 → '`'; c = 12, x = 0 → '<'.
        { "long run 20x20", 20, 20, new byte[400], "`<" },

        // 3 wide × 2 high, rows {0 1 1; 0 0 1}. Column-major: col0 = 0 0, col1 = 1 0, col2 = 1 1 → 0 0 1 0 1 1
        // → runs [2, 1, 1, 2]; i = 3: 2 − runs[1] = 1 → "2" "1" "1" "1". (Row-major would give runs [1, 2, 2, 1].)
        { "column major", 3, 2, [0, 1, 1, 0, 0, 1], "2111" },

        // 1 wide × 10 high, 0000011101: runs [5, 3, 1, 1]; i = 3: 1 − 3 = −2. −2 & 31 = 30 (bit 4 set), x = −1 → stop:
        // 30 + 48 = 'N'. → "5" "3" "1" "N".
        { "negative delta", 1, 10, [0, 0, 0, 0, 0, 1, 1, 1, 0, 1], "531N" },
    };

    [Theory]
    [MemberData(nameof(HandDerived))]
    public void Encode_HandDerivedCase_MatchesPycocotoolsString(string name, int width, int height, byte[] mask, string expected)
    {
        Assert.True(expected == CocoRle.Encode(mask, width, height), name);
        var decoded = new byte[mask.Length];
        Assert.True(CocoRle.Decode(expected, width, height, decoded).Success, name);
        Assert.Equal(mask, decoded);
    }

    [Fact]
    public void Encode_MultiCharacterAndNegativeMultiCharacterDeltas_MatchesHandDerivation()
    {
        // 1 wide × 100 high: 10 zeros, 60 ones, 5 zeros, 25 ones → runs [10, 60, 5, 25].
        // 10 → ':' (58). 60 = 0b111100: c = 28 (bit 4), x = 1 → 28 | 32 = 60 → 'l' (108); c = 1, x = 0 → '1'.
        // 5 → '5'. i = 3: 25 − 60 = −35: c = −35 & 31 = 29 (bit 4), x = −2 ≠ −1 → 29 | 32 = 61 → 'm' (109);
        // c = −2 & 31 = 30 (bit 4), x = −1 → stop → 'N' (78).
        var mask = new byte[100];
        mask.AsSpan(10, 60).Fill(1);
        mask.AsSpan(75, 25).Fill(1);

        Assert.Equal(":l15mN", CocoRle.Encode(mask, 1, 100));
    }

    // pycocotools outputs published as expected values in pytorchcocotools' tests (25×25, mask[a:b, a:b] = 1).
    [Theory]
    [InlineData(0, 5, "05d00000000d?")]
    [InlineData(5, 10, "R45d00000000b;")]
    [InlineData(20, 25, "X`05d00000000")]
    [InlineData(0, 25, "0ac0")]
    public void Encode_PublishedPycocotoolsSquares_MatchExactly(int from, int to, string expected)
    {
        var mask = new byte[25 * 25];
        for (var y = from; y < to; y++)
        {
            mask.AsSpan((y * 25) + from, to - from).Fill(1);
        }

        Assert.Equal(expected, CocoRle.Encode(mask, 25, 25));
    }

    [Fact]
    public void DecodeThenEncode_PublishedCocoAnnotation_RoundTripsExactly()
    {
        // A 427×640 (h×w) COCO-style counts string from pytorchcocotools' tests, made by pycocotools.
        const string counts = @"\`_3;j<6M3E_OjCd0T<:O1O2O001O00001O00001O001O0000O1K6J5J6A^C0g<N=O001O0O2Omk^4";
        const int width = 640, height = 427;
        var mask = new byte[width * height];

        var result = CocoRle.Decode(counts, width, height, mask);

        Assert.True(result.Success, result.Error);
        Assert.InRange(MaskStats.Compute(mask, width, height).Area, 1, (width * height) - 1);
        Assert.Equal(counts, CocoRle.Encode(mask, width, height));
    }

    [Theory]
    [InlineData(1, 1, 0.5)]
    [InlineData(7, 5, 0.5)]
    [InlineData(64, 48, 0.1)]
    [InlineData(64, 48, 0.97)]
    [InlineData(33, 100, 0.5)]
    public void EncodeDecode_RandomMasks_RoundTripAndMatchReferenceEncoder(int width, int height, double density)
    {
        var random = new Random((width * 1000) + height);
        for (var trial = 0; trial < 20; trial++)
        {
            var mask = new byte[width * height];
            for (var i = 0; i < mask.Length; i++)
            {
                mask[i] = random.NextDouble() < density ? (byte)1 : (byte)0;
            }

            var counts = CocoRle.Encode(mask, width, height);
            Assert.Equal(ReferenceEncode(mask, width, height), counts);
            var decoded = new byte[mask.Length];
            Assert.True(CocoRle.Decode(counts, width, height, decoded).Success);
            Assert.Equal(mask, decoded);
        }
    }

    [Fact]
    public void Encode_BlobMasks_MatchReferenceEncoder()
    {
        // Blobs exercise the bounding-box shortcut (zeros outside the box added as whole runs).
        const int width = 90, height = 70;
        var random = new Random(5);
        for (var trial = 0; trial < 50; trial++)
        {
            var mask = new byte[width * height];
            int cx = random.Next(width), cy = random.Next(height), r = random.Next(1, 30);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    mask[(y * width) + x] = (byte)(((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= r * r ? 1 : 0);
                }
            }

            Assert.Equal(ReferenceEncode(mask, width, height), CocoRle.Encode(mask, width, height));
        }
    }

    [Fact]
    public void Encode_NonBinaryForeground_TreatedAsOne()
    {
        Assert.Equal(CocoRle.Encode([0, 1, 1, 0], 2, 2), CocoRle.Encode([0, 255, 7, 0], 2, 2));
    }

    [Fact]
    public void TryEncode_DestinationTooSmall_ReturnsFalse()
    {
        // Runs [10, 60, 30] → ":" + "l1" + "n0" (30 has bit 4 set, so it takes a second group).
        var mask = new byte[100];
        mask.AsSpan(10, 60).Fill(1);
        var exact = new byte[5];

        Assert.False(CocoRle.TryEncode(mask, 1, 100, new byte[4], out var written));
        Assert.Equal(0, written);
        Assert.True(CocoRle.TryEncode(mask, 1, 100, exact, out written));
        Assert.Equal(5, written);
        Assert.Equal(":l1n0"u8.ToArray(), exact);
    }

    [Fact]
    public void TryEncode_SteadyState_AllocatesNothing()
    {
        var mask = new byte[120 * 80];
        mask.AsSpan(2000, 3000).Fill(1);
        var destination = new byte[4096];
        Assert.True(CocoRle.TryEncode(mask, 120, 80, destination, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            CocoRle.TryEncode(mask, 120, 80, destination, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData("0\u0020", "outside")]   // space is below '0'
    [InlineData("0p", "outside")]        // 'p' is above 'o'
    [InlineData("0`", "truncated")]      // continuation bit on the last character
    [InlineData("oooooooo", "longer")]   // more than 7 groups
    [InlineData("01N", "negative")]      // third count −2
    [InlineData("", "cover 0 pixels")]   // nothing for a 2×2 mask
    [InlineData("3", "cover 3 pixels")]  // one pixel short
    [InlineData("5", "more than the 4")] // one pixel too many
    [InlineData("0", "cover 0 pixels")]
    public void Decode_MalformedCounts_FailsWithReason(string counts, string reason)
    {
        var result = CocoRle.Decode(counts, 2, 2, new byte[4]);

        Assert.False(result.Success);
        Assert.Contains(reason, result.Error);
    }

    // Direct transcription of the rules in the class comment: materialise all runs, then write the string.
    private static string ReferenceEncode(byte[] mask, int width, int height)
    {
        var runs = new List<long>();
        long run = 0;
        var value = 0;
        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < height; y++)
            {
                var v = mask[(y * width) + x] != 0 ? 1 : 0;
                if (v != value)
                {
                    runs.Add(run);
                    run = 0;
                    value = v;
                }

                run++;
            }
        }

        runs.Add(run);
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < runs.Count; i++)
        {
            var x = i > 2 ? runs[i] - runs[i - 2] : runs[i];
            bool more;
            do
            {
                var c = (int)(x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                text.Append((char)((more ? c | 0x20 : c) + 48));
            }
            while (more);
        }

        return text.ToString();
    }
}
