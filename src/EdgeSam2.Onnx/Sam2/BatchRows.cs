using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// Shares of a per-object batch: which rows each of several lanes takes, and the batch's tensors cut to those rows.
/// Every tensor of a batch is laid out object-major ([B, …]) and holds exactly B rows, so a share is one contiguous
/// slice of each, and the graphs write a share's outputs straight into the caller's buffers.
/// </summary>
internal static class BatchRows
{
    /// <summary>
    /// Rows of share <paramref name="index"/> when <paramref name="batch"/> rows are split into
    /// <paramref name="shares"/>: as even as can be, the larger shares first.
    /// </summary>
    public static (int Start, int Count) Share(int batch, int shares, int index)
    {
        var (size, rest) = (batch / shares, batch % shares);
        return (index * size + Math.Min(index, rest), size + (index < rest ? 1 : 0));
    }

    public static void Slice(DecoderBatch whole, int start, int count, DecoderBatch share)
    {
        var b = whole.Batch;
        share.Batch = count;
        share.Points = whole.Points;
        share.PointCoords = Rows(whole.PointCoords, b, start, count, nameof(whole.PointCoords));
        share.PointLabels = Rows(whole.PointLabels, b, start, count, nameof(whole.PointLabels));
        share.ImageEmbed = Rows(whole.ImageEmbed, b, start, count, nameof(whole.ImageEmbed));
        share.MaskInput = Rows(whole.MaskInput, b, start, count, nameof(whole.MaskInput));
        share.HasMaskInput = Rows(whole.HasMaskInput, b, start, count, nameof(whole.HasMaskInput));
        share.ObjectPointers = Rows(whole.ObjectPointers, b, start, count, nameof(whole.ObjectPointers));
        share.MaskForMemory = Rows(whole.MaskForMemory, b, start, count, nameof(whole.MaskForMemory));
        share.LowResMasks = Rows(whole.LowResMasks, b, start, count, nameof(whole.LowResMasks));
        share.Iou = Rows(whole.Iou, b, start, count, nameof(whole.Iou));
        share.ObjectScores = Rows(whole.ObjectScores, b, start, count, nameof(whole.ObjectScores));
        share.CandidateMasks = Rows(whole.CandidateMasks, b, start, count, nameof(whole.CandidateMasks));
        share.CandidateIous = Rows(whole.CandidateIous, b, start, count, nameof(whole.CandidateIous));
        share.CandidatePointers = Rows(whole.CandidatePointers, b, start, count, nameof(whole.CandidatePointers));
    }

    public static void Slice(AttentionBatch whole, int start, int count, AttentionBatch share)
    {
        var b = whole.Batch;
        share.Batch = count;
        share.Memories = whole.Memories;
        share.Pointers = whole.Pointers;
        share.CondFrameDistance = whole.CondFrameDistance;
        share.Memory0 = Rows(whole.Memory0, b, start, count, nameof(whole.Memory0));
        share.Memory1 = Rows(whole.Memory1, b, start, count, nameof(whole.Memory1));
        share.MemoryPosEmbed = Rows(whole.MemoryPosEmbed, b, start, count, nameof(whole.MemoryPosEmbed));
        share.PointerOffsets = Rows(whole.PointerOffsets, b, start, count, nameof(whole.PointerOffsets));
        share.ImageEmbed = Rows(whole.ImageEmbed, b, start, count, nameof(whole.ImageEmbed));
    }

    /// <summary>Cuts the batched tensors; the constant <c>TemporalCode</c> is not batched and stays the caller's.</summary>
    public static void Slice(MemoryEncoderBatch whole, int start, int count, MemoryEncoderBatch share)
    {
        var b = whole.Batch;
        share.Batch = count;
        share.MaskForMemory = Rows(whole.MaskForMemory, b, start, count, nameof(whole.MaskForMemory));
        share.ObjectScores = Rows(whole.ObjectScores, b, start, count, nameof(whole.ObjectScores));
        share.Features = Rows(whole.Features, b, start, count, nameof(whole.Features));
        share.PositionEncoding = Rows(whole.PositionEncoding, b, start, count, nameof(whole.PositionEncoding));
        share.TemporalCode = whole.TemporalCode;
    }

    /// <summary>Rows [start, start + count) of a [batch, …] tensor; an empty (unused) tensor stays empty.</summary>
    private static Memory<float> Rows(Memory<float> tensor, int batch, int start, int count, string name)
    {
        if (tensor.IsEmpty)
        {
            return tensor;
        }

        if (tensor.Length % batch != 0)
        {
            throw new ArgumentException($"{name} holds {tensor.Length} floats, not a whole number of rows for a batch of {batch}: a share cannot be cut from it", name);
        }

        var row = tensor.Length / batch;
        return tensor.Slice(start * row, count * row);
    }
}
