using EdgeSam2.Integration.Tests.Tracking;
using EdgeSam2.Onnx.Preparation;
using EdgeSam2.Onnx.Providers;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Scenes;
using EdgeSam2.Testing;
using EdgeSam2.Tracking.Imaging;
using EdgeSam2.Tracking.Sam2;
using Xunit.Abstractions;

namespace EdgeSam2.Integration.Tests.Preparation;

/// <summary>
/// The preparation graph (models/prep) on the real ONNX Runtime against the host's kernel: the same model input to
/// float tolerance, and the same tracking result when the agent's model set prepares frames with it.
/// </summary>
public sealed class FramePreparationGraphTests(TestModelSet models, ITestOutputHelper output) : IClassFixture<TestModelSet>, IDisposable
{
    // Both compute the same taps and weights; only the order of float roundings differs (the graph scales before
    // the vertical blend, the kernel after the horizontal one). Inputs span about −2.1..2.7.
    private const float Tolerance = 1e-5f;

    private Sam2ModelSet? _graphSet;

    public static TheoryData<int, int, int> Sizes => new()
    {
        { 512, 384, 512 },   // the standard scenes into the test set's S (shrink one axis, stretch the other)
        { 512, 512, 512 },   // same size: the kernel's LUT path
        { 641, 479, 512 },   // odd sizes
        { 1, 1, 16 },        // one pixel stretched: every tap clamps
        { 3, 7, 5 },
        { 1920, 1080, 1024 }, // SAM 2.1's S from a 1080p frame
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Run_FrameOfSize_MatchesKernel(int width, int height, int size)
    {
        var rgb = Noise(width, height, seed: width + height);
        var (graph, kernel) = Prepare(rgb, width, height, size);

        var worst = MaxAbsDiff(graph, kernel);
        output.WriteLine($"{width}x{height} -> {size}: max |graph − kernel| = {worst:E2}");
        Assert.True(worst <= Tolerance, $"{width}x{height} -> {size}: max |graph − kernel| = {worst:E2}");
    }

    [Fact]
    public void Run_SceneFrames_MatchKernel()
    {
        var spec = StandardScenes.OccludedTarget();
        var renderer = new SceneRenderer(spec);
        var worst = 0f;
        foreach (var f in new[] { 0, 17, 33, spec.FrameCount - 1 })
        {
            var (graph, kernel) = Prepare(renderer.RenderFrame(f), spec.Width, spec.Height, models.ScalarSet.Info.InputSize);
            worst = Math.Max(worst, MaxAbsDiff(graph, kernel));
        }

        output.WriteLine($"scene frames: max |graph − kernel| = {worst:E2}");
        Assert.True(worst <= Tolerance, $"max |graph − kernel| over scene frames = {worst:E2}");
    }

    [Fact]
    public void Run_FrameSizeChanges_RecomputesTaps()
    {
        using var set = LoadGraphSet();
        using var preparer = new GraphFramePreparer(set.PreparationSession!.Session, ExecutionProvider.Cpu, 0, 64);
        foreach (var (w, h) in new[] { (100, 50), (33, 90), (100, 50) })
        {
            var rgb = Noise(w, h, seed: w);
            preparer.Run(rgb, w, h);
            var kernel = new float[3 * 64 * 64];
            FrameNormalizer.ToModelInput(rgb, w, h, kernel, 64);
            Assert.True(MaxAbsDiff(preparer.Image.GetTensorDataAsSpan<float>().ToArray(), kernel) <= Tolerance, $"{w}x{h}");
        }
    }

    [Fact]
    public void EncodeFrame_SteadyState_AllocatesNothing()
    {
        using var set = LoadGraphSet();
        using var model = set.CreateModel();
        var features = new ImageFeatures(model.Info);
        var rgb = Noise(512, 384, seed: 1);
        model.EncodeFrame(rgb, 512, 384, features);
        model.EncodeFrame(rgb, 512, 384, features);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++)
        {
            model.EncodeFrame(rgb, 512, 384, features);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(7, model.FramesPrepared);
    }

    [Fact]
    public void Track_OccludedTargetWithGraphPreparation_SameResultAsKernel()
    {
        var spec = StandardScenes.OccludedTarget();
        using var set = LoadGraphSet();
        using var graphModel = set.CreateModel();
        Assert.True(graphModel.PreparesFrames);
        Assert.False(models.Scalar.PreparesFrames);
        Assert.EndsWith("frame_preparation=graph on CPU", set.Provider, StringComparison.Ordinal);
        Assert.EndsWith("frame_preparation=kernel", models.ScalarSet.Provider, StringComparison.Ordinal);

        var kernel = SceneRun.TrackOneObject(models.Scalar, spec, StandardScenes.Occluded.TargetId);
        var graph = SceneRun.TrackOneObject(graphModel, spec, StandardScenes.Occluded.TargetId);

        Assert.Equal(spec.FrameCount, graphModel.FramesPrepared);
        Assert.Equal(kernel.Count, graph.Count);
        output.WriteLine($"max |IoU(kernel) − IoU(graph)| = {kernel.Zip(graph).Max(p => Math.Abs(p.First.IoU - p.Second.IoU)):E2}");
        for (var f = 0; f < kernel.Count; f++)
        {
            var where = $"frame {f}: kernel {SceneRun.Describe([kernel[f]])}, graph {SceneRun.Describe([graph[f]])}";
            Assert.True(kernel[f].ObjectScore > 0 == graph[f].ObjectScore > 0, where);
            Assert.Equal(kernel[f].State, graph[f].State);
            Assert.True(Math.Abs(kernel[f].IoU - graph[f].IoU) <= 0.01, where);
        }
    }

    [Fact]
    public void Load_KernelAndAutoOnCpu_OpenNoPreparationGraph()
    {
        foreach (var mode in new[] { FramePreparation.Kernel, FramePreparation.Auto })
        {
            using var set = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.json"), TestModelSet.Settings, framePreparation: mode);
            using var model = set.CreateModel();
            Assert.Null(set.PreparationSession);
            Assert.False(model.PreparesFrames);
            Assert.Equal("kernel", set.FramePreparationInUse);
        }
    }

    private static Sam2ModelSet LoadGraphSet() =>
        Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.json"), TestModelSet.Settings, framePreparation: FramePreparation.Graph);

    private (float[] Graph, float[] Kernel) Prepare(byte[] rgb, int width, int height, int size)
    {
        using var preparer = new GraphFramePreparer(GraphSession(), ExecutionProvider.Cpu, 0, size);
        preparer.Run(rgb, width, height);
        var kernel = new float[3 * size * size];
        FrameNormalizer.ToModelInput(rgb, width, height, kernel, size);
        return (preparer.Image.GetTensorDataAsSpan<float>().ToArray(), kernel);
    }

    private Microsoft.ML.OnnxRuntime.InferenceSession GraphSession()
    {
        _graphSet ??= LoadGraphSet();
        return _graphSet.PreparationSession!.Session;
    }

    public void Dispose() => _graphSet?.Dispose();

    private static float MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        var worst = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }

        return worst;
    }

    private static byte[] Noise(int width, int height, int seed)
    {
        var rgb = new byte[width * height * 3];
        new Random(seed).NextBytes(rgb);
        return rgb;
    }
}
