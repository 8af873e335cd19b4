using BenchmarkDotNet.Attributes;
using EdgeSam2.Benchmarks.Support;
using EdgeSam2.Onnx.Preparation;
using EdgeSam2.Onnx.Providers;
using EdgeSam2.Tracking.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace EdgeSam2.Benchmarks.Kernels;

/// <summary>
/// Frame preparation on the CPU, kernel against graph (the choice <c>Model:FramePreparation=Auto</c> makes): the host's
/// <see cref="FrameNormalizer"/> and the preparation graph (models/prep) on ORT's CPU provider, with one intra-op thread
/// and with ORT's default (one per core). The graph's time includes copying the frame into its staging buffer.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class FramePreparationBenchmarks
{
    private byte[] _rgb = [];
    private float[] _chw = [];
    private InferenceSession? _oneThread;
    private InferenceSession? _allThreads;
    private GraphFramePreparer? _graphOneThread;
    private GraphFramePreparer? _graphAllThreads;

    private int _width;
    private int _height;

    /// <summary>Frame size, "WxH", or "SxS": already at the model's size, as the agent's decoder delivers it.</summary>
    [Params("640x480", "1920x1080", "SxS")]
    public string Frame { get; set; } = "640x480";

    /// <summary>The model's input size S.</summary>
    [Params(512, 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var parts = Frame.Split('x');
        (_width, _height) = Frame == "SxS"
            ? (Size, Size)
            : (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        _rgb = Patterns.NoiseRgb(_width, _height, 7);
        _chw = new float[3 * Size * Size];
        var graph = FramePreparationGraph.Load();
        using (var one = SessionOpener.BaseOptions(new SessionSettings { IntraOpThreads = 1 }))
        {
            _oneThread = new InferenceSession(graph, one);
        }

        using (var all = SessionOpener.BaseOptions(new SessionSettings()))
        {
            _allThreads = new InferenceSession(graph, all);
        }

        _graphOneThread = new GraphFramePreparer(_oneThread, ExecutionProvider.Cpu, 0, Size);
        _graphAllThreads = new GraphFramePreparer(_allThreads, ExecutionProvider.Cpu, 0, Size);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _graphOneThread?.Dispose();
        _graphAllThreads?.Dispose();
        _oneThread?.Dispose();
        _allThreads?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "kernel")]
    public void Kernel() => FrameNormalizer.ToModelInput(_rgb, _width, _height, _chw, Size);

    [Benchmark(Description = "graph, 1 thread")]
    public void GraphOneThread() => _graphOneThread!.Run(_rgb, _width, _height);

    [Benchmark(Description = "graph, ORT threads")]
    public void GraphAllThreads() => _graphAllThreads!.Run(_rgb, _width, _height);
}
