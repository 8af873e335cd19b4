using BenchmarkDotNet.Attributes;
using EdgeSam2.Benchmarks.Support;
using EdgeSam2.Onnx.Providers;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Tracking.Sam2;
using Microsoft.ML.OnnxRuntime;

namespace EdgeSam2.Benchmarks.Inference;

/// <summary>
/// The inference layer's overhead against bare ONNX Runtime on the same graphs, inputs and shapes: "Bare" is the
/// minimal loop (<see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue})"/>
/// over OrtValues made once), "Layer" is <see cref="OnnxSam2Model"/> as the tracker calls it. One object, and a full
/// memory bank (7 frames, 16 pointers) for memory attention. Allocated bytes are per call.
/// </summary>
[MemoryDiagnoser]
[IterationTime(1500)]
[Config(typeof(BenchConfig))]
public class InferenceLayerBenchmarks
{
    private Sam2ModelSet? _set;
    private OnnxSam2Model? _layer;
    private InferenceSession[] _bare = [];
    private readonly RunOptions _runOptions = new();
    private ImageFeatures? _features;
    private float[] _image = [];
    private DecoderBatch _decoder = new();
    private AttentionBatch _attention = new();
    private MemoryEncoderBatch _memoryEncoder = new();
    private (string[] InNames, OrtValue[] In, string[] OutNames, OrtValue[] Out)[] _bareCalls = [];

    [Params("image_encoder", "mask_decoder", "memory_attention", "memory_encoder")]
    public string Graph { get; set; } = "image_encoder";

    [GlobalSetup]
    public void Setup()
    {
        var settings = new SessionSettings { IntraOpThreads = 1 };
        _set = Sam2ModelSet.Load(RepoRoot.TestManifest, settings);
        _layer = _set.CreateModel();
        var info = _set.Info;
        _features = new ImageFeatures(info);
        _image = Pattern(3 * info.InputSize * info.InputSize);
        _layer.EncodeImage(_image, _features);
        var (c, h, cm, s, l) = (info.FeatureChannels, info.FeatureSize, info.MemoryChannels, info.InputSize, info.LowResMaskSize);
        const int Mem = 7, Ptr = 16;
        _decoder = new DecoderBatch
        {
            Batch = 1, Points = 1, PointCoords = new float[2], PointLabels = new[] { -1f }, ImageEmbed = Pattern(c * h * h),
            ObjectPointers = new float[c], MaskForMemory = new float[s * s], LowResMasks = new float[l * l], Iou = new float[1], ObjectScores = new float[1],
        };
        _attention = new AttentionBatch
        {
            Batch = 1, Memories = Mem, Pointers = Ptr, Memory0 = Pattern(Ptr * c), Memory1 = Pattern(Mem * cm * h * h),
            MemoryPosEmbed = Pattern(info.PositionRows(Mem, Ptr) * cm), CondFrameDistance = 7, ImageEmbed = new float[c * h * h],
        };
        _memoryEncoder = new MemoryEncoderBatch
        {
            Batch = 1, MaskForMemory = Pattern(s * s), ObjectScores = new[] { 1f }, Features = new float[cm * h * h],
            PositionEncoding = new float[info.MemoryTokens * cm], TemporalCode = new float[info.MemorySlots * cm],
        };

        var opener = new SessionOpener(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _bare = [.. new[] { "image_encoder", "mask_decoder", "memory_attention", "memory_encoder" }.Select(m => opener.Open(m, _set.Manifest.PathOf(m), settings).Session)];
        var f = _features;
        long[] feat = [1, c, h, h], pos = [info.MemoryTokens, 1, c], hr0 = [1, info.HighRes0Channels, info.HighRes0Size, info.HighRes0Size], hr1 = [1, info.HighRes1Channels, info.HighRes1Size, info.HighRes1Size];
        _bareCalls =
        [
            Call(["image"], [V(_image, [1, 3, s, s])], ["pix_feat", "high_res_feat0", "high_res_feat1", "vision_feats", "vision_pos_embed"],
                [V(f.PixFeat, feat), V(f.HighRes0, hr0), V(f.HighRes1, hr1), V(f.VisionFeats, feat), V(f.VisionPosEmbed, pos)]),
            Call(["point_coords", "point_labels", "image_embed", "high_res_feats_0", "high_res_feats_1"],
                [V(_decoder.PointCoords, [1, 1, 2]), V(_decoder.PointLabels, [1, 1]), V(_decoder.ImageEmbed, [1, c, h, h]), V(f.HighRes0, hr0), V(f.HighRes1, hr1)],
                ["obj_ptr", "mask_for_mem", "pred_mask", "iou", "occ_logit"],
                [V(_decoder.ObjectPointers, [1, c]), V(_decoder.MaskForMemory, [1, 1, s, s]), V(_decoder.LowResMasks, [1, 1, l, l]), V(_decoder.Iou, [1, 1]), V(_decoder.ObjectScores, [1, 1])]),
            Call(["current_vision_feat", "current_vision_pos_embed", "memory_0", "memory_1", "memory_pos_embed", "cond_frame_id_diff"],
                [V(f.VisionFeats, feat), V(f.VisionPosEmbed, pos), V(_attention.Memory0, [1, Ptr, c]), V(_attention.Memory1, [1, Mem, cm, h, h]),
                 V(_attention.MemoryPosEmbed, [1, info.PositionRows(Mem, Ptr), cm]), V(new[] { 7f }, [])],
                ["image_embed"], [V(_attention.ImageEmbed, [1, c, h, h])]),
            Call(["mask_for_mem", "pix_feat", "occ_logit"], [V(_memoryEncoder.MaskForMemory, [1, 1, s, s]), V(f.PixFeat, feat), V(_memoryEncoder.ObjectScores, [1, 1])],
                ["maskmem_features", "maskmem_pos_enc", "temporal_code"],
                [V(_memoryEncoder.Features, [1, cm, h, h]), V(_memoryEncoder.PositionEncoding, [1, info.MemoryTokens, cm]), V(_memoryEncoder.TemporalCode, [info.MemorySlots, 1, 1, cm])]),
        ];
    }

    [Benchmark(Baseline = true)]
    public void Bare()
    {
        var i = Index;
        var (inNames, inputs, outNames, outputs) = _bareCalls[i];
        _bare[i].Run(_runOptions, inNames, inputs, outNames, outputs);
    }

    [Benchmark]
    public void Layer()
    {
        switch (Index)
        {
            case 0: _layer!.EncodeImage(_image, _features!); break;
            case 1: _layer!.DecodeMasks(_decoder, _features!); break;
            case 2: _layer!.AttendMemory(_attention, _features!); break;
            default: _layer!.EncodeMemory(_memoryEncoder, _features!); break;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var call in _bareCalls)
        {
            foreach (var v in call.In.Concat(call.Out))
            {
                v.Dispose();
            }
        }

        foreach (var s in _bare)
        {
            s.Dispose();
        }

        _layer?.Dispose();
        _set?.Dispose();
        _runOptions.Dispose();
    }

    private int Index => Graph switch { "image_encoder" => 0, "mask_decoder" => 1, "memory_attention" => 2, _ => 3 };

    private static (string[], OrtValue[], string[], OrtValue[]) Call(string[] inNames, OrtValue[] inputs, string[] outNames, OrtValue[] outputs) => (inNames, inputs, outNames, outputs);

    private static OrtValue V(Memory<float> memory, long[] shape) => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, shape);

    private static float[] Pattern(int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = ((i * 37) % 101 / 50f) - 1f;
        }

        return values;
    }
}
