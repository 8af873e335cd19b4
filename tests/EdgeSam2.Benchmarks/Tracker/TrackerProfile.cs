using System.Diagnostics;
using System.Globalization;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Benchmarks.Tracker;

/// <summary>
/// `--profile [frames]`: where one tracking frame's time goes. For every <see cref="TrackerCase"/> it runs
/// warm-up frames, then times <c>frames</c> frames: each graph (from <see cref="TimingSam2Model"/>'s call log),
/// each host step (the gap between two graph calls, named by the calls around it), the bytes Process allocates,
/// and the agent's per-frame post-processing of the result (upsample, stats, RLE for every object), which runs
/// outside the tracker.
/// </summary>
internal static class TrackerProfile
{
    // Enough calls for tiered JIT to promote the hot loops past tier 0 (30 calls), or host steps look slow.
    private const int WarmupFrames = 60;

    public static void Run(int frames, TextWriter output)
    {
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture, $"EdgeSam2 tracker profile: {frames} frames per case after {WarmupFrames} warm-up frames, test models (S=512), ORT intra-op threads {TrackerSession.OrtThreads}, {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
        var summary = new List<(TrackerCase Case, double Mean, double P50, double P95, double Bytes, double Post)>();
        foreach (var workload in TrackerCase.All)
        {
            var result = Profile(workload, frames, output);
            summary.Add((workload, result.Mean, result.P50, result.P95, result.Bytes, result.Post));
        }

        output.WriteLine();
        output.WriteLine("| Case | Process mean ms | p50 ms | p95 ms | vs 1 obj | Process B/frame | agent post-process ms |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var one = summary[0].Mean;
        foreach (var s in summary)
        {
            output.WriteLine(string.Create(culture, $"| {s.Case} | {s.Mean:0.000} | {s.P50:0.000} | {s.P95:0.000} | {s.Mean / one:0.00}x | {s.Bytes:0} | {s.Post:0.000} |"));
        }

        output.WriteLine(string.Create(culture, $"load average at end: {LoadAverage()}"));
    }

    private static (double Mean, double P50, double P95, double Bytes, double Post) Profile(TrackerCase workload, int frames, TextWriter output)
    {
        using var session = new TrackerSession(workload);
        var upsampler = new MaskUpsampler();
        var mask = new byte[session.Width * session.Height];
        var rle = new byte[(int)Math.Min(CocoRle.MaxEncodedLength(session.Width, session.Height), 1 << 20)];
        for (var i = 0; i < WarmupFrames; i++)
        {
            session.Next().Dispose();
            session.Timing.Reset();
        }

        var invisibleBefore = session.Invisible;
        var steps = new Dictionary<string, (long Ticks, int Calls)>();
        var order = new List<string>();
        var totals = new double[frames];
        long bytes = 0, processBytes = 0, postTicks = 0;
        for (var f = 0; f < frames; f++)
        {
            session.Timing.Reset();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var allocatedByProcess = GC.GetTotalAllocatedBytes(precise: true);
            var start = Stopwatch.GetTimestamp();
            var result = session.Next();
            var end = Stopwatch.GetTimestamp();
            bytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
            processBytes += GC.GetTotalAllocatedBytes(precise: true) - allocatedByProcess;
            totals[f] = Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;

            var previous = (Graph?)null;
            var previousEnd = start;
            foreach (var call in session.Timing.Calls)
            {
                Add(steps, order, HostStep(previous, call.Graph), call.Start - previousEnd, 1);
                Add(steps, order, $"graph: {Name(call.Graph)}", call.End - call.Start, 1);
                (previous, previousEnd) = (call.Graph, call.End);
            }

            Add(steps, order, HostStep(previous, null), end - previousEnd, 1);

            var postStart = Stopwatch.GetTimestamp();
            foreach (var o in result.Objects)
            {
                var low = result.LowResSize;
                upsampler.UpsampleAndThreshold(o.LowResLogits.AsSpan(0, low * low), low, low, mask, result.Width, result.Height);
                _ = MaskStats.Compute(mask, result.Width, result.Height);
                _ = CocoRle.TryEncode(mask, result.Width, result.Height, rle, out _);
            }

            postTicks += Stopwatch.GetTimestamp() - postStart;
            result.Dispose();
        }

        var mean = Average(totals);
        Array.Sort(totals);
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(string.Create(culture, $"## {workload}: Process {mean:0.000} ms/frame mean, {(double)bytes / frames:0} B/frame allocated by Process ({(double)processBytes / frames:0} B/frame by the whole process meanwhile), {session.Invisible - invisibleBefore} invisible observations"));
        output.WriteLine("| Step | calls/frame | ms/frame | share of Process |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (var name in order)
        {
            var (ticks, calls) = steps[name];
            var ms = TimeSpan.FromTicks(ticks * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalMilliseconds / frames;
            output.WriteLine(string.Create(culture, $"| {name} | {(double)calls / frames:0.##} | {ms:0.000} | {ms / mean:P1} |"));
        }

        var post = TimeSpan.FromTicks(postTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalMilliseconds / frames;
        output.WriteLine(string.Create(culture, $"| (agent, after Process) upsample + stats + RLE, all objects | {workload.Objects} | {post:0.000} | {post / mean:P1} |"));
        return (mean, totals[frames / 2], totals[Math.Min(frames - 1, (int)(frames * 0.95))], (double)bytes / frames, post);
    }

    private static void Add(Dictionary<string, (long Ticks, int Calls)> steps, List<string> order, string name, long ticks, int calls)
    {
        if (!steps.TryGetValue(name, out var sum))
        {
            order.Add(name);
        }

        steps[name] = (sum.Ticks + ticks, sum.Calls + calls);
    }

    /// <summary>Names the host work between two graph calls by what the tracker does there (Sam2Tracker.Process).</summary>
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

    private static double Average(double[] values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{fields[0]} {fields[1]} {fields[2]}";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
