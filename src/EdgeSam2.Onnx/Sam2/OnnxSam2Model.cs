using EdgeSam2.Onnx.Native;
using EdgeSam2.Tracking.Sam2;
using Microsoft.Extensions.Logging;
using static EdgeSam2.Onnx.Sam2.Sam2Graphs;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// A SAM 2 model set on ONNX Runtime: four sessions, their sizes read from the graphs and checked against the
/// contract at load, and runs over the tracker's own buffers. Tensor-argument arrays and shape arrays are made
/// once and refilled per call, so a frame allocates nothing here.
/// </summary>
public sealed class OnnxSam2Model : ISam2Model
{
    private readonly OrtSession _encoder;
    private readonly OrtSession _decoder;
    private readonly OrtSession _attention;
    private readonly OrtSession _memoryEncoder;

    private readonly OrtTensorArg[] _args = new OrtTensorArg[8];
    private readonly OrtTensorArg[] _outs = new OrtTensorArg[5];
    private readonly long[] _imageShape;
    private readonly long[] _featureShape;
    private readonly long[] _posShape;
    private readonly long[] _hr0Shape;
    private readonly long[] _hr1Shape;
    private readonly long[] _coordsShape = new long[3];
    private readonly long[] _labelsShape = new long[2];
    private readonly long[] _embedShape;
    private readonly long[] _ptrShape = new long[2];
    private readonly long[] _maskShape;
    private readonly long[] _lowResShape;
    private readonly long[] _scalarPerObjectShape = new long[2];
    private readonly long[] _memory0Shape = new long[3];
    private readonly long[] _memory1Shape;
    private readonly long[] _memoryPosShape = new long[3];
    private readonly long[] _offsetsShape = new long[2];
    private readonly long[] _emptyShape = [];
    private readonly long[] _memFeaturesShape;
    private readonly long[] _memPosEncShape;
    private readonly long[] _temporalShape;
    private readonly float[] _condDistance = new float[1];

    private OnnxSam2Model(Sam2Manifest manifest, OrtSession encoder, OrtSession decoder, OrtSession attention, OrtSession memoryEncoder, Sam2ModelInfo info)
    {
        Manifest = manifest;
        (_encoder, _decoder, _attention, _memoryEncoder) = (encoder, decoder, attention, memoryEncoder);
        Info = info;
        var (s, c, h) = (info.InputSize, info.FeatureChannels, info.FeatureSize);
        _imageShape = [1, 3, s, s];
        _featureShape = [1, c, h, h];
        _posShape = [info.MemoryTokens, 1, c];
        _hr0Shape = [1, info.HighRes0Channels, info.HighRes0Size, info.HighRes0Size];
        _hr1Shape = [1, info.HighRes1Channels, info.HighRes1Size, info.HighRes1Size];
        _embedShape = [0, c, h, h];
        _maskShape = [0, 1, s, s];
        _lowResShape = [0, 1, info.LowResMaskSize, info.LowResMaskSize];
        _memory1Shape = [0, 0, info.MemoryChannels, h, h];
        _memFeaturesShape = [0, info.MemoryChannels, h, h];
        _memPosEncShape = [0, info.MemoryTokens, info.MemoryChannels];
        _temporalShape = [info.MemorySlots, 1, 1, info.MemoryChannels];
        Provider = $"image_encoder={encoder.Provider}, mask_decoder={decoder.Provider}, memory_attention={attention.Provider}, memory_encoder={memoryEncoder.Provider}";
    }

    /// <inheritdoc/>
    public Sam2ModelInfo Info { get; }

    /// <inheritdoc/>
    public string Provider { get; }

    /// <summary>The manifest the set was loaded from.</summary>
    public Sam2Manifest Manifest { get; }

    /// <summary>
    /// Opens the four graphs named by a manifest and checks them against the contract. Every mismatch is reported
    /// at once; nothing stays open on failure.
    /// </summary>
    /// <exception cref="Sam2ModelException">The manifest or a graph does not fit the contract.</exception>
    /// <exception cref="OrtException">ORT could not open a graph.</exception>
    public static OnnxSam2Model Load(OrtRuntime runtime, string manifestPath, OrtSessionSettings settings, bool verifyChecksums = true, ILogger? logger = null)
    {
        var manifest = Sam2Manifest.Load(manifestPath, verifyChecksums);
        var sessions = new List<OrtSession>(4);
        try
        {
            foreach (var module in Modules)
            {
                sessions.Add(OpenWithFallback(runtime, module, manifest.PathOf(module), settings, logger));
            }

            var info = Sam2ContractCheck.ReadInfo(manifest, sessions[0], sessions[1], sessions[2], sessions[3]);
            return new OnnxSam2Model(manifest, sessions[0], sessions[1], sessions[2], sessions[3], info);
        }
        catch
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Opens one module, falling back past providers that accept the graph's options but fail to build its
    /// session (TensorRT does so on some SAM 2 decoders): the module runs on the next provider, the others keep theirs.
    /// </summary>
    private static OrtSession OpenWithFallback(OrtRuntime runtime, string module, string path, OrtSessionSettings settings, ILogger? logger)
    {
        var providers = settings.Providers;
        for (var first = 0; ; first++)
        {
            try
            {
                var session = runtime.OpenSession(path, first == 0 ? settings : settings with { Providers = providers.Skip(first).ToArray() }, logger);
                if (logger is not null)
                {
                    Log.ModuleOpened(logger, module, session.Provider);
                }

                return session;
            }
            catch (OrtException e) when (first < providers.Count - 1 && providers[first].Kind != OrtProvider.Cpu)
            {
                if (logger is not null)
                {
                    Log.ModuleProviderFailed(logger, module, providers[first].Kind.ToString(), e.Message);
                }
            }
        }
    }

    /// <inheritdoc/>
    public void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features)
    {
        _args[0] = OrtTensorArg.Float(Image, System.Runtime.InteropServices.MemoryMarshal.AsMemory(image), _imageShape);
        _outs[0] = OrtTensorArg.Float(PixFeat, features.PixFeat, _featureShape);
        _outs[1] = OrtTensorArg.Float(HighResFeat0, features.HighRes0, _hr0Shape);
        _outs[2] = OrtTensorArg.Float(HighResFeat1, features.HighRes1, _hr1Shape);
        _outs[3] = OrtTensorArg.Float(VisionFeats, features.VisionFeats, _featureShape);
        _outs[4] = OrtTensorArg.Float(VisionPosEmbed, features.VisionPosEmbed, _posShape);
        _encoder.Run(_args.AsSpan(0, 1), _outs.AsSpan(0, 5));
    }

    /// <inheritdoc/>
    public void DecodeMasks(DecoderBatch batch, ImageFeatures features)
    {
        long b = batch.Batch;
        (_coordsShape[0], _coordsShape[1], _coordsShape[2]) = (b, batch.Points, 2);
        (_labelsShape[0], _labelsShape[1]) = (b, batch.Points);
        _embedShape[0] = b;
        (_ptrShape[0], _ptrShape[1]) = (b, Info.FeatureChannels);
        _maskShape[0] = b;
        _lowResShape[0] = b;
        (_scalarPerObjectShape[0], _scalarPerObjectShape[1]) = (b, 1);

        _args[0] = OrtTensorArg.Float(PointCoords, batch.PointCoords, _coordsShape);
        _args[1] = OrtTensorArg.Float(PointLabels, batch.PointLabels, _labelsShape);
        _args[2] = OrtTensorArg.Float(ImageEmbed, batch.ImageEmbed, _embedShape);
        _args[3] = OrtTensorArg.Float(HighResFeats0, features.HighRes0, _hr0Shape);
        _args[4] = OrtTensorArg.Float(HighResFeats1, features.HighRes1, _hr1Shape);
        _outs[0] = OrtTensorArg.Float(ObjPtr, batch.ObjectPointers, _ptrShape);
        _outs[1] = OrtTensorArg.Float(MaskForMem, batch.MaskForMemory, _maskShape);
        _outs[2] = OrtTensorArg.Float(PredMask, batch.LowResMasks, _lowResShape);
        _outs[3] = OrtTensorArg.Float(Iou, batch.Iou, _scalarPerObjectShape);
        _outs[4] = OrtTensorArg.Float(OccLogit, batch.ObjectScores, _scalarPerObjectShape);
        _decoder.Run(_args.AsSpan(0, 5), _outs.AsSpan(0, 5));
    }

    /// <inheritdoc/>
    public void AttendMemory(AttentionBatch batch, ImageFeatures features)
    {
        long b = batch.Batch;
        (_memory0Shape[0], _memory0Shape[1], _memory0Shape[2]) = (b, batch.Pointers, Info.FeatureChannels);
        (_memory1Shape[0], _memory1Shape[1]) = (b, batch.Memories);
        (_memoryPosShape[0], _memoryPosShape[1], _memoryPosShape[2]) = (b, Info.PositionRows(batch.Memories, batch.Pointers), Info.MemoryChannels);
        _embedShape[0] = b;

        _args[0] = OrtTensorArg.Float(CurrentVisionFeat, features.VisionFeats, _featureShape);
        _args[1] = OrtTensorArg.Float(CurrentVisionPosEmbed, features.VisionPosEmbed, _posShape);
        _args[2] = OrtTensorArg.Float(Memory0, batch.Memory0, _memory0Shape);
        _args[3] = OrtTensorArg.Float(Memory1, batch.Memory1, _memory1Shape);
        _args[4] = OrtTensorArg.Float(MemoryPosEmbed, batch.MemoryPosEmbed, _memoryPosShape);
        if (Info.AttentionForm == MemoryAttentionForm.Offsets)
        {
            (_offsetsShape[0], _offsetsShape[1]) = (b, batch.Pointers);
            _args[5] = OrtTensorArg.Float(ObjPtrOffsets, batch.PointerOffsets, _offsetsShape);
        }
        else
        {
            _condDistance[0] = batch.CondFrameDistance;
            _args[5] = OrtTensorArg.Float(CondFrameIdDiff, _condDistance, _emptyShape);
        }

        _outs[0] = OrtTensorArg.Float(ImageEmbed, batch.ImageEmbed, _embedShape);
        _attention.Run(_args.AsSpan(0, 6), _outs.AsSpan(0, 1));
    }

    /// <inheritdoc/>
    public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features)
    {
        long b = batch.Batch;
        _maskShape[0] = b;
        (_scalarPerObjectShape[0], _scalarPerObjectShape[1]) = (b, 1);
        _memFeaturesShape[0] = b;
        _memPosEncShape[0] = b;
        _args[0] = OrtTensorArg.Float(MaskForMem, batch.MaskForMemory, _maskShape);
        _args[1] = OrtTensorArg.Float(PixFeat, features.PixFeat, _featureShape);
        _args[2] = OrtTensorArg.Float(OccLogit, batch.ObjectScores, _scalarPerObjectShape);
        _outs[0] = OrtTensorArg.Float(MaskmemFeatures, batch.Features, _memFeaturesShape);
        _outs[1] = OrtTensorArg.Float(MaskmemPosEnc, batch.PositionEncoding, _memPosEncShape);
        _outs[2] = OrtTensorArg.Float(TemporalCode, batch.TemporalCode, _temporalShape);
        _memoryEncoder.Run(_args.AsSpan(0, 3), _outs.AsSpan(0, 3));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _encoder.Dispose();
        _decoder.Dispose();
        _attention.Dispose();
        _memoryEncoder.Dispose();
    }
}
