using BenchmarkDotNet.Attributes;
using EdgeSam2.Benchmarks.Support;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Benchmarks.Kernels;

/// <summary>COCO RLE of a full-frame mask into a caller buffer: the mask's wire form on MQTT.</summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class CocoRleBenchmarks
{
    private readonly byte[] _scene = Patterns.DiscMask(512, 384, 200, 150, 34);
    private readonly byte[] _hd = Patterns.DiscMask(1920, 1080, 750, 420, 96);
    private readonly byte[] _counts = new byte[64 * 1024];

    [Benchmark(Description = "disc r34 in 512x384")]
    public int Disc512x384() => Encode(_scene, 512, 384);

    [Benchmark(Description = "disc r96 in 1920x1080")]
    public int Disc1080() => Encode(_hd, 1920, 1080);

    private int Encode(byte[] mask, int width, int height) =>
        CocoRle.TryEncode(mask, width, height, _counts, out var written)
            ? written
            : throw new InvalidOperationException("the RLE buffer is too small for a disc");
}
