using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Onnx.Tests.Sam2;

public sealed class BatchRowsTests
{
    [Theory]
    [InlineData(2, 2)]
    [InlineData(5, 2)]
    [InlineData(5, 3)]
    [InlineData(8, 3)]
    [InlineData(16, 4)]
    public void Share_EveryRowInExactlyOneShare_InOrder_SizesWithinOne(int batch, int shares)
    {
        var next = 0;
        var sizes = new List<int>();
        for (var i = 0; i < shares; i++)
        {
            var (start, count) = BatchRows.Share(batch, shares, i);
            Assert.Equal(next, start);
            next += count;
            sizes.Add(count);
        }

        Assert.Equal(batch, next);
        Assert.True(sizes.Max() - sizes.Min() <= 1, $"shares {string.Join(',', sizes)}");
        Assert.True(sizes.Min() >= 1);
    }

    [Fact]
    public void Slice_Decoder_EachTensorCutToTheSameRows_UnusedTensorsStayEmpty()
    {
        const int b = 5;
        var coords = Ramp(b * 3 * 2);
        var embed = Ramp(b * 7);
        var masks = Ramp(b * 4);
        var whole = new DecoderBatch
        {
            Batch = b, Points = 3, PointCoords = coords, PointLabels = Ramp(b * 3), ImageEmbed = embed,
            ObjectPointers = Ramp(b * 2), MaskForMemory = Ramp(b * 9), LowResMasks = masks, Iou = Ramp(b), ObjectScores = Ramp(b),
        };
        var share = new DecoderBatch();

        BatchRows.Slice(whole, 3, 2, share);

        Assert.Equal((2, 3), (share.Batch, share.Points));
        Assert.Equal(coords.AsSpan(3 * 6, 2 * 6).ToArray(), share.PointCoords.ToArray());
        Assert.Equal(embed.AsSpan(3 * 7, 2 * 7).ToArray(), share.ImageEmbed.ToArray());
        Assert.Equal(masks.AsSpan(3 * 4, 2 * 4).ToArray(), share.LowResMasks.ToArray());
        Assert.Equal([3f, 4f], share.ObjectScores.ToArray());
        // A share writes into the caller's buffer, not a copy.
        share.Iou.Span[0] = -1f;
        Assert.Equal(-1f, whole.Iou.Span[3]);
        Assert.True(share.MaskInput.IsEmpty && share.HasMaskInput.IsEmpty && share.CandidateMasks.IsEmpty);
    }

    [Fact]
    public void Slice_MemoryEncoder_TemporalCodeIsNotCut()
    {
        var temporal = Ramp(6);
        var whole = new MemoryEncoderBatch
        {
            Batch = 4, MaskForMemory = Ramp(4 * 9), ObjectScores = Ramp(4), Features = Ramp(4 * 5), PositionEncoding = Ramp(4 * 3), TemporalCode = temporal,
        };
        var share = new MemoryEncoderBatch();

        BatchRows.Slice(whole, 2, 2, share);

        Assert.Equal([2f, 3f], share.ObjectScores.ToArray());
        Assert.Equal(6, share.TemporalCode.Length);
        Assert.True(share.TemporalCode.Span == temporal.AsSpan());
    }

    [Fact]
    public void Slice_TensorNotAWholeNumberOfRows_NamesIt()
    {
        var whole = new AttentionBatch { Batch = 3, Memories = 1, Pointers = 1, Memory0 = Ramp(6), Memory1 = Ramp(7), MemoryPosEmbed = Ramp(3), ImageEmbed = Ramp(3) };

        var error = Assert.Throws<ArgumentException>(() => BatchRows.Slice(whole, 0, 1, new AttentionBatch()));

        Assert.Contains("Memory1 holds 7 floats", error.Message, StringComparison.Ordinal);
    }

    private static float[] Ramp(int length) => Enumerable.Range(0, length).Select(i => (float)i).ToArray();
}
