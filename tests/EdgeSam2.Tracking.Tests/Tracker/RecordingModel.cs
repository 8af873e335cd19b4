using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Tracking.Tests.Tracker;

/// <summary>
/// A scripted stand-in for the four graphs, for unit tests of the tracker's protocol only (the real graphs are
/// exercised through ONNX Runtime in EdgeSam2.Integration.Tests). It records every call and answers with the
/// object score and IoU the test sets.
/// </summary>
internal sealed class RecordingModel(MemoryAttentionForm form = MemoryAttentionForm.Scalar, bool masks = false, int candidates = 1) : ISam2Model
{
    public const float VisionMarker = 7f;
    public const float PixMarker = 3f;

    public Sam2ModelInfo Info { get; } = TinyModelInfo.Create(form) with { AcceptsMaskPrompts = masks, DecoderCandidates = candidates };

    /// <summary>The mask prompts decoded: (mask_input, has_mask_input) of each call that passed them.</summary>
    public List<(float[] Mask, float[] Has)> MaskInputs { get; } = [];

    public string Provider => "recording";

    public List<Call> Calls { get; } = [];

    /// <summary>Object score every decoded object gets (present iff &gt; 0).</summary>
    public float Score { get; set; } = 5;

    /// <summary>Overrides <see cref="Score"/> on tracking calls (padding points only), when set.</summary>
    public float? TrackingScore { get; set; }

    /// <summary>When set, only this many rows of each decoded mask are positive.</summary>
    public int? PositiveRows { get; set; }

    /// <summary>Predicted IoU every decoded object gets.</summary>
    public float Iou { get; set; } = 0.9f;

    /// <summary>The model input of every image-encoder call, copied.</summary>
    public List<float[]> Images { get; } = [];

    public void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features)
    {
        Images.Add(image.ToArray());
        features.VisionFeats.AsSpan().Fill(VisionMarker);
        features.PixFeat.AsSpan().Fill(PixMarker);
        Calls.Add(new Call("encode", 1, 0, 0, [], [], 0));
    }

    public void DecodeMasks(DecoderBatch batch, ImageFeatures features)
    {
        var embed = batch.ImageEmbed.Span[0];
        Calls.Add(new Call("decode", batch.Batch, batch.Points, 0, batch.PointCoords.ToArray(), batch.PointLabels.ToArray(), embed == VisionMarker ? 1 : embed == PixMarker ? 2 : 0));
        if (!batch.MaskInput.IsEmpty)
        {
            MaskInputs.Add((batch.MaskInput.ToArray(), batch.HasMaskInput.ToArray()));
        }

        var score = batch.PointLabels.Span[0] < 0 && TrackingScore is { } tracking ? tracking : Score;
        batch.LowResMasks.Span.Fill(score > 0 ? 1f : -1024f);
        if (score > 0 && PositiveRows is int rows)
        {
            // Only the first rows of each object's low-res mask are positive: a mask of a chosen box area.
            var length = Info.LowResMaskLength;
            for (var b = 0; b < batch.Batch; b++)
            {
                batch.LowResMasks.Span.Slice((b * length) + (rows * Info.LowResMaskSize), length - (rows * Info.LowResMaskSize)).Fill(-1f);
            }
        }

        batch.Iou.Span.Fill(Iou);
        batch.ObjectScores.Span.Fill(score);
        batch.ObjectPointers.Span.Fill(1f);
        batch.MaskForMemory.Span.Fill(10f);
    }

    public void AttendMemory(AttentionBatch batch, ImageFeatures features)
    {
        Calls.Add(new Call("attend", batch.Batch, batch.Pointers, batch.Memories, [], [], batch.CondFrameDistance));
        batch.ImageEmbed.Span.Fill(1f);
    }

    public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features)
    {
        Calls.Add(new Call("memory", batch.Batch, 0, 0, [], [], 0));
        batch.Features.Span.Fill(1f);
        batch.PositionEncoding.Span.Clear();
        batch.TemporalCode.Span.Fill(1f);
    }

    public void Dispose()
    {
    }

    /// <summary>One graph call: kind, batch, points (decode) or pointers (attend), memories, inputs seen, extra (decode: 1 if on vision_feats, 2 if on pix_feat; attend: cond distance).</summary>
    public sealed record Call(string Kind, int Batch, int Points, int Memories, float[] Coords, float[] Labels, float Extra);
}
