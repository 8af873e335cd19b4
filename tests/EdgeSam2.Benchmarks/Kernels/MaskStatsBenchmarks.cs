using BenchmarkDotNet.Attributes;
using EdgeSam2.Benchmarks.Support;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Benchmarks.Kernels;

/// <summary>Area, box and centroid of a full-frame mask, once per object per published frame.</summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class MaskStatsBenchmarks
{
    private readonly byte[] _scene = Patterns.DiscMask(512, 384, 200, 150, 34);
    private readonly byte[] _hd = Patterns.DiscMask(1920, 1080, 750, 420, 96);

    [Benchmark(Description = "disc r34 in 512x384")]
    public long Disc512x384() => MaskStats.Compute(_scene, 512, 384).Area;

    [Benchmark(Description = "disc r96 in 1920x1080")]
    public long Disc1080() => MaskStats.Compute(_hd, 1920, 1080).Area;
}
