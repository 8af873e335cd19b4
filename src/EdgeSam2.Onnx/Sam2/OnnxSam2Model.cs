using System.Runtime.InteropServices;
using EdgeSam2.Onnx.Preparation;
using EdgeSam2.Tracking.Sam2;
using static EdgeSam2.Onnx.Sam2.Sam2Graphs;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// One camera's view of a shared <see cref="Sam2ModelSet"/>: the tracker's buffers bound to the four graphs through
/// cached ORT values, so a frame allocates nothing here once its shapes have been seen. Shape arrays are made once
/// and refilled per call. Disposing it releases this camera's bindings; the sessions stay with the set.
/// </summary>
/// <remarks>Not thread-safe: each camera loop owns one.</remarks>
public sealed class OnnxSam2Model : ISam2Model
{
    private readonly Sam2ModelSet _set;
    private readonly TensorBinding _encoder;
    private readonly TensorBinding _decoder;
    private readonly TensorBinding _attention;
    private readonly TensorBinding _memoryEncoder;
    private readonly GraphFramePreparer? _preparer;

    private readonly long[] _imageShape;
    private readonly long[] _featureShape;
    private readonly long[] _posShape;
    private readonly long[] _hr0Shape;
    private readonly long[] _hr1Shape;
    private readonly long[] _emptyShape = [];
    private readonly long[] _temporalShape;
    private readonly float[] _condDistance = new float[1];
    private float[] _noMasks = [];
    private float[] _noMaskFlags = [];

    // Shapes that change with the batch: one array per shape that a call can bind, since a cached value keeps its shape.
    private readonly ShapeSet _shapes = new();

    internal OnnxSam2Model(Sam2ModelSet set)
    {
        _set = set;
        var info = set.Info;
        var (s, c, h) = (info.InputSize, info.FeatureChannels, info.FeatureSize);
        _imageShape = [1, 3, s, s];
        _featureShape = [1, c, h, h];
        _posShape = [info.MemoryTokens, 1, c];
        _hr0Shape = [1, info.HighRes0Channels, info.HighRes0Size, info.HighRes0Size];
        _hr1Shape = [1, info.HighRes1Channels, info.HighRes1Size, info.HighRes1Size];
        _temporalShape = [info.MemorySlots, 1, 1, info.MemoryChannels];

        _encoder = new TensorBinding(set.Encoder, [Image], [PixFeat, HighResFeat0, HighResFeat1, VisionFeats, VisionPosEmbed]);
        string[] decoderInputs = info.AcceptsMaskPrompts
            ? [PointCoords, PointLabels, ImageEmbed, HighResFeats0, HighResFeats1, MaskInput, HasMaskInput]
            : [PointCoords, PointLabels, ImageEmbed, HighResFeats0, HighResFeats1];
        _decoder = info.DecoderCandidates > 1
            ? new TensorBinding(set.Decoder, decoderInputs, [ObjPtrs, LowResMultimasks, Ious, OccLogit])
            : new TensorBinding(set.Decoder, decoderInputs, [ObjPtr, MaskForMem, PredMask, Iou, OccLogit]);
        var offsets = info.AttentionForm == MemoryAttentionForm.Offsets;
        _attention = new TensorBinding(set.Attention, [CurrentVisionFeat, CurrentVisionPosEmbed, Memory0, Memory1, MemoryPosEmbed, offsets ? ObjPtrOffsets : CondFrameIdDiff], [ImageEmbed]);
        _memoryEncoder = new TensorBinding(set.MemoryEncoder, [MaskForMem, PixFeat, OccLogit], [MaskmemFeatures, MaskmemPosEnc, TemporalCode]);
        if (set.PreparationSession is { } prep)
        {
            _preparer = new GraphFramePreparer(prep.Session, prep.Provider, set.PreparationDevice, s);
        }
    }

    /// <inheritdoc/>
    public Sam2ModelInfo Info => _set.Info;

    /// <inheritdoc/>
    public string Provider => _set.Provider;

    /// <summary>The shared set this camera runs on.</summary>
    internal Sam2ModelSet Set => _set;

    /// <summary>The manifest the shared set was loaded from.</summary>
    public Sam2Manifest Manifest => _set.Manifest;

    /// <summary>ORT values created for this camera so far: it stops growing once every shape has been seen.</summary>
    public long ValuesCreated => _encoder.ValuesCreated + _decoder.ValuesCreated + _attention.ValuesCreated + _memoryEncoder.ValuesCreated;

    /// <summary>
    /// Runs of graph <paramref name="index"/> (in <see cref="Sam2Graphs.Modules"/> order) and the time they took,
    /// for statistics; safe to read from another thread.
    /// </summary>
    public (long Runs, TimeSpan Time) GraphTime(int index)
    {
        var binding = index switch { 0 => _encoder, 1 => _decoder, 2 => _attention, _ => _memoryEncoder };
        return (binding.Runs, System.Diagnostics.Stopwatch.GetElapsedTime(0, binding.RunTicks));
    }

    /// <summary>The contract's graph names, in the order <see cref="GraphTime"/> takes.</summary>
    public static IReadOnlyList<string> GraphNames => Sam2Graphs.Modules;

    /// <summary>Frames prepared by the preparation graph so far; 0 with the kernel.</summary>
    public long FramesPrepared => _preparer?.Runs ?? 0;

    /// <inheritdoc/>
    public bool PreparesFrames => _preparer is not null;

    /// <inheritdoc/>
    public void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features)
    {
        _encoder.Bind(0, MemoryMarshal.AsMemory(image), _imageShape);
        RunEncoder(features);
    }

    /// <inheritdoc/>
    public void EncodeFrame(ReadOnlySpan<byte> rgb24, int width, int height, ImageFeatures features)
    {
        if (_preparer is null)
        {
            throw new NotSupportedException("This model set prepares frames with the kernel (Model:FramePreparation): call EncodeImage.");
        }

        if (width < 1 || height < 1 || rgb24.Length < (long)width * height * 3)
        {
            throw new ArgumentException($"an RGB24 frame of {width}×{height} needs {(long)width * height * 3} bytes, got {rgb24.Length}.", nameof(rgb24));
        }

        _preparer.Run(rgb24, width, height);
        _encoder.BindInputValue(0, _preparer.Image);
        RunEncoder(features);
    }

    private void RunEncoder(ImageFeatures features)
    {
        _encoder.Bind(1, features.PixFeat, _featureShape);
        _encoder.Bind(2, features.HighRes0, _hr0Shape);
        _encoder.Bind(3, features.HighRes1, _hr1Shape);
        _encoder.Bind(4, features.VisionFeats, _featureShape);
        _encoder.Bind(5, features.VisionPosEmbed, _posShape);
        _encoder.Run();
    }

    /// <inheritdoc/>
    public void DecodeMasks(DecoderBatch batch, ImageFeatures features)
    {
        var info = Info;
        var (b, p) = (batch.Batch, batch.Points);
        _decoder.Bind(0, batch.PointCoords, _shapes.Get(b, p, 2));
        _decoder.Bind(1, batch.PointLabels, _shapes.Get(b, p));
        _decoder.Bind(2, batch.ImageEmbed, _shapes.Get(b, info.FeatureChannels, info.FeatureSize, info.FeatureSize));
        _decoder.Bind(3, features.HighRes0, _hr0Shape);
        _decoder.Bind(4, features.HighRes1, _hr1Shape);
        if (info.AcceptsMaskPrompts)
        {
            var none = batch.MaskInput.IsEmpty;
            _decoder.Bind(5, none ? NoMasks(b) : batch.MaskInput, _shapes.Get(b, 1, info.InputSize, info.InputSize));
            _decoder.Bind(6, none ? _noMaskFlags.AsMemory(0, b) : batch.HasMaskInput, _shapes.Get(b, 1));
        }
        else if (!batch.MaskInput.IsEmpty)
        {
            throw new InvalidOperationException($"model set '{Manifest.Name}' has no mask input; the tracker must refuse mask prompts for it");
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

    /// <summary>
    /// Zero masks and flags for <paramref name="batch"/> rows without a mask prompt: one buffer, grown only when a
    /// larger batch than ever before comes (never per frame), and its prefix bound, so the ORT values are cached per shape.
    /// </summary>
    private Memory<float> NoMasks(int batch)
    {
        var length = batch * Info.InputMaskLength;
        if (_noMasks.Length < length)
        {
            _noMasks = new float[length];
            _noMaskFlags = new float[batch];
        }

        return _noMasks.AsMemory(0, length);
    }

    /// <inheritdoc/>
    public void AttendMemory(AttentionBatch batch, ImageFeatures features)
    {
        var info = Info;
        var (b, m, n) = (batch.Batch, batch.Memories, batch.Pointers);
        _attention.Bind(0, features.VisionFeats, _featureShape);
        _attention.Bind(1, features.VisionPosEmbed, _posShape);
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
            _attention.Bind(5, _condDistance, _emptyShape);
        }

        _attention.Bind(6, batch.ImageEmbed, _shapes.Get(b, info.FeatureChannels, info.FeatureSize, info.FeatureSize));
        _attention.Run();
    }

    /// <inheritdoc/>
    public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features)
    {
        var info = Info;
        var b = batch.Batch;
        _memoryEncoder.Bind(0, batch.MaskForMemory, _shapes.Get(b, 1, info.InputSize, info.InputSize));
        _memoryEncoder.Bind(1, features.PixFeat, _featureShape);
        _memoryEncoder.Bind(2, batch.ObjectScores, _shapes.Get(b, 1));
        _memoryEncoder.Bind(3, batch.Features, _shapes.Get(b, info.MemoryChannels, info.FeatureSize, info.FeatureSize));
        _memoryEncoder.Bind(4, batch.PositionEncoding, _shapes.Get(b, info.MemoryTokens, info.MemoryChannels));
        _memoryEncoder.Bind(5, batch.TemporalCode, _temporalShape);
        _memoryEncoder.Run();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _encoder.Dispose();
        _decoder.Dispose();
        _attention.Dispose();
        _memoryEncoder.Dispose();
        _preparer?.Dispose();
    }
}
