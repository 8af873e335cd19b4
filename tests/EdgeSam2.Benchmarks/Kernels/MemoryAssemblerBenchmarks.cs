using BenchmarkDotNet.Attributes;
using EdgeSam2.Benchmarks.Support;
using EdgeSam2.Tracking.Memory;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Benchmarks.Kernels;

/// <summary>
/// One object's memory-attention inputs from a full bank (1 conditioning + 6 recent frames, 16 pointers): the
/// host copy the tracker makes per object per frame. At the test set's sizes and at SAM 2.1's, where the graphs
/// cannot run here but the copy can be measured.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class MemoryAssemblerBenchmarks
{
    private Sam2ModelInfo _info = TestSet;
    private ObjectMemory _memory = null!;
    private MemoryPositionCodes _codes = null!;
    private MemoryShape _shape;
    private float[] _memory0 = [], _memory1 = [], _posEmbed = [], _offsets = [];
    private long _frame;
    private ulong _positionSignature;

    [Params("test S=512", "SAM 2.1 S=1024")]
    public string Model { get; set; } = "test S=512";

    private static Sam2ModelInfo TestSet => new()
    {
        InputSize = 512, FeatureChannels = 64, FeatureSize = 32, HighRes0Channels = 8, HighRes0Size = 128, HighRes1Channels = 16,
        HighRes1Size = 64, MemoryChannels = 16, LowResMaskSize = 128, MemorySlots = 7, MaxObjectPointers = 16, AttentionForm = MemoryAttentionForm.Scalar,
    };

    private static Sam2ModelInfo Sam21 => new()
    {
        InputSize = 1024, FeatureChannels = 256, FeatureSize = 64, HighRes0Channels = 32, HighRes0Size = 256, HighRes1Channels = 64,
        HighRes1Size = 128, MemoryChannels = 64, LowResMaskSize = 256, MemorySlots = 7, MaxObjectPointers = 16, AttentionForm = MemoryAttentionForm.Scalar,
    };

    [GlobalSetup]
    public void Setup()
    {
        _info = Model.StartsWith("SAM", StringComparison.Ordinal) ? Sam21 : TestSet;
        var info = _info;
        var random = new Random(4);
        var features = new float[info.MemoryFeatureLength];
        var pointer = new float[info.FeatureChannels];
        _memory = new ObjectMemory(info.MemorySlots, info.MaxObjectPointers, new MemoryOptions().MaxConditioningEntries, info.MemoryFeatureLength, info.FeatureChannels);
        _memory.AddConditioning(0, features, pointer);
        for (_frame = 1; _frame <= 20; _frame++)
        {
            features[random.Next(features.Length)] = _frame;
            _memory.AddRecent(_frame, features, pointer);
        }

        var positions = new float[info.MemoryTokens * info.MemoryChannels];
        var temporal = new float[info.MemorySlots * info.MemoryChannels];
        _codes = new MemoryPositionCodes(positions, temporal, info.MemorySlots);
        _shape = MemoryAssembler.ShapeOf(_memory, _frame);
        _memory0 = new float[_shape.Pointers * info.FeatureChannels];
        _memory1 = new float[_shape.Memories * info.MemoryFeatureLength];
        _posEmbed = new float[info.PositionRows(_shape.Memories, _shape.Pointers) * info.MemoryChannels];
        _offsets = new float[_shape.Pointers];
    }

    [Benchmark(Description = "MemoryAssembler.Write, full bank, one object")]
    public void Write() => MemoryAssembler.Write(_memory, _frame, _shape, _info, _codes, _memory0, _memory1, _posEmbed, _offsets);

    /// <summary>As the tracker calls it: the position rows are kept from the last frame when their layout repeats.</summary>
    [Benchmark(Description = "MemoryAssembler.Write, steady state (position rows kept)")]
    public void WriteSteadyState() =>
        MemoryAssembler.Write(_memory, _frame, _shape, _info, _codes, _memory0, _memory1, _posEmbed, _offsets, ref _positionSignature);
}
