using BenchmarkDotNet.Attributes;
using EdgeSam2.Benchmarks.Support;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Benchmarks.Kernels;

/// <summary>Low-resolution logits → full-frame binary mask, once per object per published frame.</summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class MaskUpsamplerBenchmarks
{
    private readonly float[] _logits128 = Patterns.DiscLogits(128, 50, 40, 12);
    private readonly float[] _logits256 = Patterns.DiscLogits(256, 100, 80, 24);
    private readonly byte[] _mask = new byte[1920 * 1080];

    // One upsampler per size pair, as a worker keeps one per camera: the taps are cached after the first call.
    private readonly MaskUpsampler _scene = new();
    private readonly MaskUpsampler _hd = new();

    [Benchmark(Description = "128² -> 512x384 (test model)")]
    public void Low128To512x384() => _scene.UpsampleAndThreshold(_logits128, 128, 128, _mask, 512, 384);

    [Benchmark(Description = "256² -> 1920x1080 (SAM 2.1)")]
    public void Low256To1080() => _hd.UpsampleAndThreshold(_logits256, 256, 256, _mask, 1920, 1080);
}
