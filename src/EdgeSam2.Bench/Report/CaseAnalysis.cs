using System.Diagnostics;
using EdgeSam2.Bench.Agent;

namespace EdgeSam2.Bench.Report;

/// <summary>Turns one agent run's raw arrivals, stats and /proc samples into the report's figures.</summary>
internal static class CaseAnalysis
{
    /// <summary>
    /// Frames each camera's timing leaves out at its start, as the floor does (<c>models bench</c> times neither the
    /// prompted frame nor the 5 warm-up frames after it): ORT's first runs allocate, and the JIT is still compiling.
    /// </summary>
    public const int ThroughputWarmupFrames = 6;

    /// <summary>
    /// Frames (all that arrived) and frames per second over all cameras, timed by the subscriber from the arrival that
    /// ends the warm-up to the last (the agent's start-up, the prompts and <paramref name="warmupFrames"/> excluded).
    /// </summary>
    public static (int Frames, double FramesPerSecond) Throughput(CaseRun run, int warmupFrames = ThroughputWarmupFrames)
    {
        var stamps = new List<long>();
        var skipped = 0;
        foreach (var arrivals in run.Tracks.Values)
        {
            var skip = arrivals.Count > 2 * warmupFrames ? warmupFrames : 0;
            skipped += skip;
            for (var i = skip; i < arrivals.Count; i++)
            {
                stamps.Add(arrivals[i].ReceivedTimestamp);
            }
        }

        stamps.Sort();
        // Counted from the first timed arrival: one frame fewer than timed arrivals makes the intervals.
        var seconds = stamps.Count < 2 ? 0 : Stopwatch.GetElapsedTime(stamps[0], stamps[^1]).TotalSeconds;
        return (stamps.Count + skipped, seconds > 0 ? (stamps.Count - 1) / seconds : double.NaN);
    }

    /// <summary>Where a frame's time goes: decode CPU, agent CPU, each graph, ORT in all, the host's share, and the agent's own stages when it publishes them.</summary>
    public static StageRow Stages(CaseRun run, string codec, double wallMsPerFrame)
    {
        var frames = 0;
        foreach (var arrivals in run.Tracks.Values)
        {
            frames += arrivals.Count;
        }

        var graphMs = new Dictionary<string, double>(StringComparer.Ordinal);
        double? ortMs = null;
        if (run.Stats.Count > 0 && frames > 0)
        {
            var total = 0.0;
            var (baseline, last) = (SteadyBaseline(run.Stats), run.Stats[^1]);
            var window = baseline is null ? frames : EncoderRuns(last) - EncoderRuns(baseline);
            foreach (var g in last.Graphs)
            {
                var before = baseline?.Graphs.FirstOrDefault(b => b.Graph == g.Graph);
                var perFrame = ((g.Runs * g.MeanMs) - (before is null ? 0 : before.Runs * before.MeanMs)) / window;
                graphMs[g.Graph] = Math.Round(perFrame, 3);
                total += perFrame;
            }

            ortMs = total;
        }

        double? decodeMs = null, agentCpuMs = null;
        if (run.Samples.Count >= 2 && frames > 0)
        {
            var (first, last) = (run.Samples[0], run.Samples[^1]);
            var msPerTick = 1000 / ProcessProbe.TicksPerSecond;
            // Every frame a decoder produced, tracked or dropped, cost it the same: divide by what it decoded.
            var decoded = Math.Max(frames, DecodedFrames(run));
            decodeMs = last.DecoderTicks * msPerTick / decoded;
            agentCpuMs = (last.AgentTicks - first.AgentTicks) * msPerTick / frames;
        }

        var hostMs = ortMs is { } ort && double.IsFinite(wallMsPerFrame) ? wallMsPerFrame - ort : (double?)null;
        return new StageRow(
            run.Case.Name, codec, run.Case.Scene.ObjectCount, frames, Numbers.Round(wallMsPerFrame, 3), Numbers.Round(decodeMs ?? double.NaN, 3),
            Numbers.Round(agentCpuMs ?? double.NaN, 3), graphMs, Numbers.Round(ortMs ?? double.NaN, 3), Numbers.Round(hostMs ?? double.NaN, 3),
            hostMs is { } h ? Numbers.Round(h / wallMsPerFrame, 3) : null, MeanStages(run));
    }

    /// <summary>Frames the decoders delivered (tracked + dropped), from the last stats message.</summary>
    public static long DecodedFrames(CaseRun run)
    {
        if (run.Stats.Count == 0)
        {
            return 0;
        }

        long decoded = 0;
        foreach (var c in run.Stats[^1].Cameras)
        {
            decoded += c.Frames + c.Dropped;
        }

        return decoded;
    }

    /// <summary>Frames the agent dropped (newest wins), from the last stats message.</summary>
    public static long DroppedFrames(CaseRun run)
    {
        long dropped = 0;
        if (run.Stats.Count > 0)
        {
            foreach (var c in run.Stats[^1].Cameras)
            {
                dropped += c.Dropped;
            }
        }

        return dropped;
    }

    /// <summary>
    /// Frames of a Live run fed by a <see cref="CameraFeed"/> left out of its latency: the stream's first second. ffmpeg
    /// probes half a second of a network stream before its first frame comes out, so those frames come out late together.
    /// </summary>
    public static int FeedWarmupFrames(double framesPerSecond) => (int)Math.Ceiling(framesPerSecond);

    /// <summary>
    /// Live, fed by the bench's own camera: each frame from the moment the bench sent it to the subscriber's receipt (one
    /// process, one clock); the agent's own latency_ms; and, frame by frame, their difference: the time outside the agent
    /// (the decoder's probing, parsing, decoding and pipe before the agent's hand-off, MQTT delivery after it).
    /// </summary>
    public static (LatencySummary SentToReceipt, LatencySummary InAgent, LatencySummary OutsideAgent) FeedLatency(CaseRun run, CameraFeed feed, int warmupFrames)
    {
        var sentToReceipt = new List<double>();
        var inAgent = new List<double>();
        var outside = new List<double>();
        foreach (var arrivals in run.Tracks.Values)
        {
            foreach (var a in arrivals)
            {
                if (a.Frame < warmupFrames || feed.MillisecondsSinceSent(a.Frame, a.ReceivedTimestamp) is not { } total)
                {
                    continue;
                }

                sentToReceipt.Add(total);
                inAgent.Add(a.AgentLatencyMs);
                outside.Add(total - a.AgentLatencyMs);
            }
        }

        return (LatencySummary.Of(sentToReceipt), LatencySummary.Of(inAgent), LatencySummary.Of(outside));
    }

    /// <summary>The agent's own latency_ms (the decoder's hand-off → handed to the MQTT client) of every frame.</summary>
    public static LatencySummary InAgentLatency(CaseRun run) =>
        LatencySummary.Of([.. run.Tracks.Values.SelectMany(arrivals => arrivals).Select(a => a.AgentLatencyMs)]);

    /// <summary>
    /// RSS (from /proc), managed heap and, where the agent reports it, device memory (the agent's stats) against frames
    /// published, and their slopes after the first quarter of the run (warm-up: pools, ORT arenas and JIT settle), in
    /// MiB per 10,000 frames.
    /// </summary>
    public static MemoryResult Memory(CaseRun run)
    {
        var arrivals = new List<long>();
        foreach (var list in run.Tracks.Values)
        {
            foreach (var a in list)
            {
                arrivals.Add(a.ReceivedTimestamp);
            }
        }

        arrivals.Sort();
        long FramesBy(long timestamp)
        {
            var index = arrivals.BinarySearch(timestamp);
            return index >= 0 ? index + 1 : ~index;
        }

        const double MiB = 1024 * 1024;
        var start = run.Samples.Count > 0 ? run.Samples[0].Timestamp : 0;
        var warmup = arrivals.Count / 4;
        var points = new List<MemoryPoint>();
        var rss = new List<(double, double)>();
        foreach (var s in run.Samples)
        {
            if (s.ResidentBytes <= 0)
            {
                continue;
            }

            var frames = FramesBy(s.Timestamp);
            points.Add(new MemoryPoint(Math.Round(Stopwatch.GetElapsedTime(start, s.Timestamp).TotalSeconds, 2), frames, Math.Round(s.ResidentBytes / MiB, 2), null));
            if (frames >= warmup)
            {
                rss.Add((frames, s.ResidentBytes / MiB));
            }
        }

        var managed = new List<(double, double)>();
        var gpu = new List<(double, double)>();
        foreach (var s in run.Stats)
        {
            var frames = FramesBy(s.ReceivedTimestamp);
            points.Add(new MemoryPoint(Math.Round(Stopwatch.GetElapsedTime(start, s.ReceivedTimestamp).TotalSeconds, 2), frames, Math.Round(s.ResidentBytes / MiB, 2), Math.Round(s.ManagedBytes / MiB, 2))
            {
                GpuMiB = s.GpuUsedBytes is { } g ? Math.Round(g / MiB, 2) : null,
            });
            if (frames >= warmup)
            {
                managed.Add((frames, s.ManagedBytes / MiB));
                if (s.GpuUsedBytes is { } used)
                {
                    gpu.Add((frames, used / MiB));
                }
            }
        }

        points.Sort((a, b) => a.Seconds.CompareTo(b.Seconds));
        var seconds = arrivals.Count < 2 ? 0 : Stopwatch.GetElapsedTime(arrivals[0], arrivals[^1]).TotalSeconds;
        return new MemoryResult(
            run.Case.Name, Math.Round(seconds, 1), arrivals.Count, warmup,
            Numbers.Round(Numbers.Slope(rss) * 10_000, 3), Numbers.Round(Numbers.Slope(managed) * 10_000, 3),
            rss.Count > 0 ? Math.Round(rss[0].Item2, 1) : null, rss.Count > 0 ? Math.Round(rss[^1].Item2, 1) : null, Thin(points, 120))
        {
            GpuSlopeMiBPer10kFrames = gpu.Count > 1 ? Numbers.Round(Numbers.Slope(gpu) * 10_000, 3) : null,
            GpuAfterWarmupMiB = gpu.Count > 0 ? Math.Round(gpu[0].Item2, 1) : null,
            GpuEndMiB = gpu.Count > 0 ? Math.Round(gpu[^1].Item2, 1) : null,
        };
    }

    /// <summary>
    /// The stats message that starts the window ORT's per-graph time is taken over: the first one after the warm-up
    /// frames (the prompt frame and the first runs of each graph, where ORT allocates and, on the SAM 2 micro set,
    /// whose random weights lose the objects at once, the only memory writes happen), as the floor leaves them out and
    /// as the frame rate does. The agent's figures are totals since its start; a total over the whole run would charge
    /// the warm-up to the agent and not to the floor. Null when no message falls inside the run (then: the whole run).
    /// </summary>
    internal static StatsSample? SteadyBaseline(IReadOnlyList<StatsSample> stats)
    {
        var last = EncoderRuns(stats[^1]);
        foreach (var s in stats)
        {
            var runs = EncoderRuns(s);
            if (runs >= ThroughputWarmupFrames && runs < last)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>Image encoder runs since the agent started: one per tracked frame (every camera).</summary>
    private static long EncoderRuns(StatsSample sample)
    {
        foreach (var g in sample.Graphs)
        {
            if (g.Graph == "image_encoder")
            {
                return g.Runs;
            }
        }

        return 0;
    }

    private static Dictionary<string, double>? MeanStages(CaseRun run)
    {
        var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        // The intervals after the warm-up, as for the graphs (SteadyBaseline); all of them when the run is too short.
        var baseline = run.Stats.Count > 0 ? SteadyBaseline(run.Stats) : null;
        var steady = baseline is null;
        foreach (var s in run.Stats)
        {
            if (!steady)
            {
                steady = ReferenceEquals(s, baseline);
                continue;
            }

            foreach (var c in s.Cameras)
            {
                // An interval in which the camera tracked nothing has nothing to average.
                if (c.StagesMs.Count == 0 || c.Frames == 0)
                {
                    continue;
                }

                foreach (var (stage, ms) in c.StagesMs)
                {
                    var (sum, count) = sums.GetValueOrDefault(stage);
                    sums[stage] = (sum + ms, count + 1);
                }
            }
        }

        if (sums.Count == 0)
        {
            return null;
        }

        var means = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (stage, (sum, count)) in sums)
        {
            means[stage] = Math.Round(sum / count, 3);
        }

        return means;
    }

    private static List<MemoryPoint> Thin(List<MemoryPoint> points, int max)
    {
        if (points.Count <= max)
        {
            return points;
        }

        var thinned = new List<MemoryPoint>(max);
        for (var i = 0; i < max; i++)
        {
            thinned.Add(points[(int)((long)i * (points.Count - 1) / (max - 1))]);
        }

        return thinned;
    }
}
