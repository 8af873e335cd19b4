using BenchmarkDotNet.Attributes;
using EdgeSam2.Benchmarks.Support;
using EdgeSam2.Tracking.Imaging;

namespace EdgeSam2.Benchmarks.Kernels;

/// <summary>RGB24 frame → normalised planar model input: the encoder's only host-side input step.</summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class FrameNormalizerBenchmarks
{
    private readonly byte[] _scene = Patterns.NoiseRgb(512, 384, 1);
    private readonly byte[] _hd = Patterns.NoiseRgb(1920, 1080, 2);
    private readonly byte[] _square = Patterns.NoiseRgb(512, 512, 3);
    private readonly byte[] _square1024 = Patterns.NoiseRgb(1024, 1024, 4);
    private readonly float[] _chw = new float[3 * 1024 * 1024];

    [Benchmark(Description = "512x384 -> 512 (test model)")]
    public void Scene512x384To512() => FrameNormalizer.ToModelInput(_scene, 512, 384, _chw, 512);

    [Benchmark(Description = "1920x1080 -> 1024 (SAM 2.1)")]
    public void Hd1080To1024() => FrameNormalizer.ToModelInput(_hd, 1920, 1080, _chw, 1024);

    [Benchmark(Description = "512x512 -> 512 (same size)")]
    public void SameSize512() => FrameNormalizer.ToModelInput(_square, 512, 512, _chw, 512);

    [Benchmark(Description = "1024x1024 -> 1024 (same size)")]
    public void SameSize1024() => FrameNormalizer.ToModelInput(_square1024, 1024, 1024, _chw, 1024);
}
