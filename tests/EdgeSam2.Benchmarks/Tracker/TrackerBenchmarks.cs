using BenchmarkDotNet.Attributes;
using EdgeSam2.Benchmarks.Support;

namespace EdgeSam2.Benchmarks.Tracker;

/// <summary>
/// One steady-state tracking frame of <see cref="EdgeSam2.Tracking.Tracker.Sam2Tracker.Process(ReadOnlySpan{byte}, int, int, long, DateTimeOffset, IReadOnlyList{EdgeSam2.Tracking.Tracker.TrackerCommand})"/>
/// on the test models through real ONNX Runtime: encoder, memory attention, decoder and memory encoder, with
/// the host work between them. Allocated bytes are per frame.
/// </summary>
/// <remarks>
/// Iterations of 1.5 s, not the default 0.5 s: BenchmarkDotNet reports an iteration that allocated less than
/// one allocation quantum (8 KB) as zero, and a frame allocates a few hundred bytes at ~30 ms.
/// </remarks>
[MemoryDiagnoser]
[IterationTime(1500)]
[Config(typeof(BenchConfig))]
public class TrackerBenchmarks
{
    private TrackerSession? _session;

    [ParamsSource(nameof(Cases))]
    public TrackerCase Case { get; set; } = TrackerCase.All[0];

    public static IEnumerable<TrackerCase> Cases => TrackerCase.All;

    [GlobalSetup]
    public void Setup() => _session = new TrackerSession(Case);

    [Benchmark(Description = "Sam2Tracker.Process (one frame)")]
    public int Frame()
    {
        using var result = _session!.Next();
        _session.Timing.Reset();
        return result.Objects.Count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_session is { Invisible: > 0 } session)
        {
            Console.WriteLine($"// WARNING {Case}: {session.Invisible} observations were not visible: the tracker lost a target, so the timing is not steady-state.");
        }

        _session?.Dispose();
        _session = null;
    }
}
