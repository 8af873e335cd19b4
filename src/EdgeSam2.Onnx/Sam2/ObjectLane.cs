using EdgeSam2.Tracking.Sam2;
using static EdgeSam2.Onnx.Sam2.Sam2Graphs;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// The three per-object graphs (<c>mask_decoder</c>, <c>memory_attention</c>, <c>memory_encoder</c>) bound for one
/// thread: its own bindings, shapes and scratch, so several lanes can run shares of one batch side by side on the
/// shared sessions. In a split call each lane is given its share (a <c>Take</c>) and holds it until its thread runs it
/// (<see cref="RunTaken"/>): the first lane on the calling thread, the others on their workers.
/// </summary>
/// <remarks>Not thread-safe: one thread runs a lane at a time.</remarks>
internal sealed class ObjectLane : IDisposable
{
    private readonly Sam2ModelInfo _info;
    private readonly string _manifestName;
    private readonly TensorBinding _decoder;
    private readonly TensorBinding _attention;
    private readonly TensorBinding _memoryEncoder;
    private readonly ShapeSet _shapes = new();
    private readonly float[] _condDistance = new float[1];
    private readonly FixedShapes _fixed;
    private float[] _noMasks = [];
    private float[] _noMaskFlags = [];

    // A share taken for this lane's worker: the kind of call, its rows of the batch and the frame's features.
    private readonly DecoderBatch _decoderShare = new();
    private readonly AttentionBatch _attentionShare = new();
    private readonly MemoryEncoderBatch _memoryShare = new();
    private readonly bool _writesConstants;
    private float[]? _temporalScratch;
    private LaneCall _taken;
    private ImageFeatures? _features;

    /// <param name="set">The shared sessions.</param>
    /// <param name="fixedShapes">The camera's shapes that do not change with the object count.</param>
    /// <param name="first">Whether this is the calling thread's lane, the one that writes a share's constant outputs to the caller.</param>
    public ObjectLane(Sam2ModelSet set, FixedShapes fixedShapes, bool first)
    {
        _writesConstants = first;
        _fixed = fixedShapes;
        var info = _info = set.Info;

        string[] decoderInputs = info.AcceptsMaskPrompts
            ? [PointCoords, PointLabels, ImageEmbed, HighResFeats0, HighResFeats1, MaskInput, HasMaskInput]
            : [PointCoords, PointLabels, ImageEmbed, HighResFeats0, HighResFeats1];
        _decoder = info.DecoderCandidates > 1
            ? new TensorBinding(set.Decoder, decoderInputs, [ObjPtrs, LowResMultimasks, Ious, OccLogit])
            : new TensorBinding(set.Decoder, decoderInputs, [ObjPtr, MaskForMem, PredMask, Iou, OccLogit]);
        var offsets = info.AttentionForm == MemoryAttentionForm.Offsets;
        _attention = new TensorBinding(set.Attention, [CurrentVisionFeat, CurrentVisionPosEmbed, Memory0, Memory1, MemoryPosEmbed, offsets ? ObjPtrOffsets : CondFrameIdDiff], [ImageEmbed]);
        _memoryEncoder = new TensorBinding(set.MemoryEncoder, [MaskForMem, PixFeat, OccLogit], [MaskmemFeatures, MaskmemPosEnc, TemporalCode]);
        _manifestName = set.Manifest.Name;
    }

    /// <summary>ORT values created for this lane so far.</summary>
    public long ValuesCreated => _decoder.ValuesCreated + _attention.ValuesCreated + _memoryEncoder.ValuesCreated;

    /// <summary>Takes rows [<paramref name="start"/>, start + <paramref name="count"/>) of a decoder call for <see cref="RunTaken"/>.</summary>
    public void Take(DecoderBatch whole, int start, int count, ImageFeatures features)
    {
        BatchRows.Slice(whole, start, count, _decoderShare);
        (_taken, _features) = (LaneCall.Decode, features);
    }

    /// <summary>Takes rows of a memory-attention call for <see cref="RunTaken"/>.</summary>
    public void Take(AttentionBatch whole, int start, int count, ImageFeatures features)
    {
        BatchRows.Slice(whole, start, count, _attentionShare);
        (_taken, _features) = (LaneCall.Attend, features);
    }

    /// <summary>
    /// Takes rows of a memory-encoder call for <see cref="RunTaken"/>. The graph's constant temporal code, which is not
    /// batched, goes to the caller's buffer from the first lane only and to a scratch buffer from the others, so no
    /// two threads write one buffer.
    /// </summary>
    public void Take(MemoryEncoderBatch whole, int start, int count, ImageFeatures features)
    {
        BatchRows.Slice(whole, start, count, _memoryShare);
        if (!_writesConstants)
        {
            if (_temporalScratch is null || _temporalScratch.Length != whole.TemporalCode.Length)
            {
                _temporalScratch = new float[whole.TemporalCode.Length];
            }

            _memoryShare.TemporalCode = _temporalScratch;
        }

        (_taken, _features) = (LaneCall.EncodeMemory, features);
    }

    /// <summary>Runs the share last taken, once.</summary>
    public void RunTaken()
    {
        var (call, features) = (_taken, _features!);
        (_taken, _features) = (LaneCall.None, null);
        switch (call)
        {
            case LaneCall.Decode: Decode(_decoderShare, features); break;
            case LaneCall.Attend: Attend(_attentionShare, features); break;
            case LaneCall.EncodeMemory: EncodeMemory(_memoryShare, features); break;
            default: throw new InvalidOperationException("no share was taken for this lane");
        }
    }

    public void Decode(DecoderBatch batch, ImageFeatures features)
    {
        var info = _info;
        var (b, p) = (batch.Batch, batch.Points);
        _decoder.Bind(0, batch.PointCoords, _shapes.Get(b, p, 2));
        _decoder.Bind(1, batch.PointLabels, _shapes.Get(b, p));
        _decoder.Bind(2, batch.ImageEmbed, _shapes.Get(b, info.FeatureChannels, info.FeatureSize, info.FeatureSize));
        _decoder.Bind(3, features.HighRes0, _fixed.HighRes0);
        _decoder.Bind(4, features.HighRes1, _fixed.HighRes1);
        if (info.AcceptsMaskPrompts)
        {
            var none = batch.MaskInput.IsEmpty;
            _decoder.Bind(5, none ? NoMasks(b) : batch.MaskInput, _shapes.Get(b, 1, info.InputSize, info.InputSize));
            _decoder.Bind(6, none ? _noMaskFlags.AsMemory(0, b) : batch.HasMaskInput, _shapes.Get(b, 1));
        }
        else if (!batch.MaskInput.IsEmpty)
        {
            throw new InvalidOperationException($"model set '{_manifestName}' has no mask input; the tracker must refuse mask prompts for it");
        }

        var o = _decoder.InputCount;
        if (info.DecoderCandidates > 1)
        {
            var k = info.DecoderCandidates;
            _decoder.Bind(o, batch.CandidatePointers, _shapes.Get(b, k, info.FeatureChannels));
            _decoder.Bind(o + 1, batch.CandidateMasks, _shapes.Get(b, k, info.LowResMaskSize, info.LowResMaskSize));
            _decoder.Bind(o + 2, batch.CandidateIous, _shapes.Get(b, k));
            _decoder.Bind(o + 3, batch.ObjectScores, _shapes.Get(b, 1));
            _decoder.Run();
            return;
        }

        _decoder.Bind(o, batch.ObjectPointers, _shapes.Get(b, info.FeatureChannels));
        _decoder.Bind(o + 1, batch.MaskForMemory, _shapes.Get(b, 1, info.InputSize, info.InputSize));
        _decoder.Bind(o + 2, batch.LowResMasks, _shapes.Get(b, 1, info.LowResMaskSize, info.LowResMaskSize));
        _decoder.Bind(o + 3, batch.Iou, _shapes.Get(b, 1));
        _decoder.Bind(o + 4, batch.ObjectScores, _shapes.Get(b, 1));
        _decoder.Run();
    }

    public void Attend(AttentionBatch batch, ImageFeatures features)
    {
        var info = _info;
        var (b, m, n) = (batch.Batch, batch.Memories, batch.Pointers);
        _attention.Bind(0, features.VisionFeats, _fixed.Feature);
        _attention.Bind(1, features.VisionPosEmbed, _fixed.Position);
        _attention.Bind(2, batch.Memory0, _shapes.Get(b, n, info.FeatureChannels));
        _attention.Bind(3, batch.Memory1, _shapes.Get(b, m, info.MemoryChannels, info.FeatureSize, info.FeatureSize));
        _attention.Bind(4, batch.MemoryPosEmbed, _shapes.Get(b, info.PositionRows(m, n), info.MemoryChannels));
        if (info.AttentionForm == MemoryAttentionForm.Offsets)
        {
            _attention.Bind(5, batch.PointerOffsets, _shapes.Get(b, n));
        }
        else
        {
            _condDistance[0] = batch.CondFrameDistance;
            _attention.Bind(5, _condDistance, _fixed.Scalar);
        }

        _attention.Bind(6, batch.ImageEmbed, _shapes.Get(b, info.FeatureChannels, info.FeatureSize, info.FeatureSize));
        _attention.Run();
    }

    public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features)
    {
        var info = _info;
        var b = batch.Batch;
        _memoryEncoder.Bind(0, batch.MaskForMemory, _shapes.Get(b, 1, info.InputSize, info.InputSize));
        _memoryEncoder.Bind(1, features.PixFeat, _fixed.Feature);
        _memoryEncoder.Bind(2, batch.ObjectScores, _shapes.Get(b, 1));
        _memoryEncoder.Bind(3, batch.Features, _shapes.Get(b, info.MemoryChannels, info.FeatureSize, info.FeatureSize));
        _memoryEncoder.Bind(4, batch.PositionEncoding, _shapes.Get(b, info.MemoryTokens, info.MemoryChannels));
        _memoryEncoder.Bind(5, batch.TemporalCode, _fixed.Temporal);
        _memoryEncoder.Run();
    }

    /// <summary>
    /// Zero masks and flags for <paramref name="batch"/> rows without a mask prompt: one buffer, grown only when a
    /// larger batch than ever before comes (never per frame), and its prefix bound, so the ORT values are cached per shape.
    /// </summary>
    private Memory<float> NoMasks(int batch)
    {
        var length = batch * _info.InputMaskLength;
        if (_noMasks.Length < length)
        {
            _noMasks = new float[length];
            _noMaskFlags = new float[batch];
        }

        return _noMasks.AsMemory(0, length);
    }

    public void Dispose()
    {
        _decoder.Dispose();
        _attention.Dispose();
        _memoryEncoder.Dispose();
    }

    private enum LaneCall
    {
        None,
        Decode,
        Attend,
        EncodeMemory,
    }
}
