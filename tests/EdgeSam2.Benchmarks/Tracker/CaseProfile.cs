using System.Diagnostics;
using System.Globalization;
using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Benchmarks.Tracker;

/// <summary>
/// One case of the profile: its tracker session and what its measured frames added up to. Per frame it
/// times each graph call (from <see cref="TimingSam2Model"/>'s log), each host step (the gap between two
/// calls, named by the calls around it), the bytes Process allocates on the calling thread and in the whole
/// process, and the agent's post-processing of the result (upsample, stats and RLE of every object, as
/// EdgeSam2.Agent's TrackPostProcessor does), which runs after Process.
/// </summary>
internal sealed class CaseProfile : IDisposable
{
    private readonly TrackerSession _session;
    private readonly MaskUpsampler _upsampler = new();
    private readonly byte[] _mask;
    private readonly byte[] _rle;
    private readonly Dictionary<string, (long Ticks, int Calls)> _steps = [];
    private readonly List<string> _order = [];
    private readonly double[] _totals;
    private long _threadBytes, _processBytes, _postTicks, _invisibleAtStart;
    private int _measured;

    public CaseProfile(TrackerCase workload, int frames)
    {
        Case = workload;
        _session = new TrackerSession(workload);
        _mask = new byte[_session.Width * _session.Height];
        _rle = new byte[(int)Math.Min(CocoRle.MaxEncodedLength(_session.Width, _session.Height), 1 << 20)];
        _totals = new double[frames];
    }

    public TrackerCase Case { get; }

    public double Mean => Sum(_totals) / _measured;

    public double Median => Percentile(0.5);

    public double P95 => Percentile(0.95);

    public double BytesPerFrame => (double)_threadBytes / _measured;

    public double PostMs => Ms(_postTicks) / _measured;

    public void Warm()
    {
        using var result = _session.Next();
        PostProcess(result);
        _session.Timing.Reset();
        _invisibleAtStart = _session.Invisible;
    }

    public void Measure()
    {
        _session.Timing.Reset();
        var thread = GC.GetAllocatedBytesForCurrentThread();
        var process = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        using var result = _session.Next();
        var end = Stopwatch.GetTimestamp();
        _threadBytes += GC.GetAllocatedBytesForCurrentThread() - thread;
        _processBytes += GC.GetTotalAllocatedBytes(precise: true) - process;
        _totals[_measured++] = Ms(end - start);

        var previous = (Graph?)null;
        var previousEnd = start;
        foreach (var call in _session.Timing.Calls)
        {
            Add(HostStep(previous, call.Graph), call.Start - previousEnd);
            Add($"graph: {Name(call.Graph)}", call.End - call.Start);
            (previous, previousEnd) = (call.Graph, call.End);
        }

        Add(HostStep(previous, null), end - previousEnd);

        var postStart = Stopwatch.GetTimestamp();
        PostProcess(result);
        _postTicks += Stopwatch.GetTimestamp() - postStart;
    }

    public void WriteSteps(TextWriter output)
    {
        var culture = CultureInfo.InvariantCulture;
        var mean = Mean;
        output.WriteLine();
        output.WriteLine(string.Create(culture, $"## {Case}: Process {mean:0.00} ms/frame mean ({Median:0.00} p50), {BytesPerFrame:0} B/frame allocated by Process ({(double)_processBytes / _measured:0} B/frame by the whole process meanwhile), {_session.Invisible - _invisibleAtStart} invisible observations"));
        output.WriteLine("| Step | calls/frame | ms/frame | share of Process |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (var name in _order)
        {
            var (ticks, calls) = _steps[name];
            var ms = Ms(ticks) / _measured;
            output.WriteLine(string.Create(culture, $"| {name} | {(double)calls / _measured:0.##} | {ms:0.000} | {ms / mean:P1} |"));
        }

        output.WriteLine(string.Create(culture, $"| (agent, after Process) upsample + stats + RLE, all objects | {Case.Objects} | {PostMs:0.000} | {PostMs / mean:P1} |"));
    }

    public void Dispose() => _session.Dispose();

    private void PostProcess(TrackedFrame result)
    {
        var low = result.LowResSize;
        foreach (var o in result.Objects)
        {
            _upsampler.UpsampleAndThreshold(o.LowResLogits.AsSpan(0, low * low), low, low, _mask, result.Width, result.Height);
            _ = MaskStats.Compute(_mask, result.Width, result.Height);
            _ = CocoRle.TryEncode(_mask, result.Width, result.Height, _rle, out _);
        }
    }

    private void Add(string name, long ticks)
    {
        if (!_steps.TryGetValue(name, out var sum))
        {
            _order.Add(name);
        }

        _steps[name] = (sum.Ticks + ticks, sum.Calls + 1);
    }

    private double Percentile(double p)
    {
        var sorted = _totals.AsSpan(0, _measured).ToArray();
        Array.Sort(sorted);
        return sorted[Math.Min(_measured - 1, (int)(p * _measured))];
    }

    /// <summary>Names the host work between two graph calls by what Sam2Tracker.Process does there.</summary>
    private static string HostStep(Graph? before, Graph? after) => (before, after) switch
    {
        (null, Graph.ImageEncoder) => "host: validate + normalise frame",
        (Graph.ImageEncoder, Graph.MemoryAttention) or (Graph.MemoryAttention, Graph.MemoryAttention) => "host: assemble memory (shapes, sort, copy bank)",
        (Graph.MemoryAttention, Graph.MaskDecoder) => "host: decoder inputs",
        (Graph.MaskDecoder, Graph.MaskDecoder) or (Graph.MemoryEncoder, Graph.MemoryEncoder) => "host: between per-object calls",
        (Graph.MaskDecoder, Graph.MemoryEncoder) => "host: quality gate (compact masks)",
        (Graph.MemoryEncoder, null) or (Graph.MaskDecoder, null) => "host: memory write + observe (post-process)",
        _ => $"host: {before?.ToString() ?? "start"} -> {after?.ToString() ?? "end"}",
    };

    private static string Name(Graph graph) => graph switch
    {
        Graph.ImageEncoder => "image_encoder",
        Graph.MemoryAttention => "memory_attention",
        Graph.MaskDecoder => "mask_decoder",
        _ => "memory_encoder",
    };

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Sum(double[] values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }
}
