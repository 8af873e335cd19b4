using System.Globalization;
using System.Text;

namespace EdgeSam2.Bench.Report;

/// <summary>Writes report.md: the same figures as report.json, as tables a reader can paste into the README.</summary>
internal static class MarkdownReport
{
    /// <summary>The stages the agent's <c>stages_ms</c> names, in the order a frame goes through them.</summary>
    public static readonly string[] StageOrder =
        ["queue", "wait", "prepare_ahead", "prepare", "image_encoder", "memory_attention", "mask_decoder", "memory_encoder", "tracker_host", "post", "publish", "capture_to_publish"];

    private static readonly string[] GraphOrder = ["image_encoder", "memory_attention", "mask_decoder", "memory_encoder"];

    public static string Write(BenchReport r)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        Line($"# EdgeSam2 end-to-end benchmark ({r.Kind})");
        Line();
        Line("| | |");
        Line("|---|---|");
        Line($"| run | {r.StartedAt:yyyy-MM-dd HH:mm} UTC, {F(r.DurationSeconds, "0")} s |");
        Line($"| machine | {r.Machine.Cpu}, {r.Machine.Cores} cores, {F(r.Machine.MemoryGiB, "0.#")} GiB, {r.Machine.Os}, kernel {r.Machine.Kernel} |");
        Line($"| load average (1/5/15 min) | {r.Machine.LoadAverageAtStart} at the start, {r.Machine.LoadAverageAtEnd} at the end |");
        Line($"| model set | {r.Model.Name} ({r.Model.InputSize} px), `{r.Model.Manifest}` |");
        Line($"| provider per graph | {r.Model.ProviderPerGraph} (requested: {string.Join(", ", r.Model.RequestedProviders)}) |");
        Line($"| threads | ORT intra-op per session: {(r.Model.IntraOpThreads > 0 ? r.Model.IntraOpThreads.ToString(CultureInfo.InvariantCulture) : "the agent's default (Model:IntraOpThreads)")}; {ObjectThreads(r.Model)}; agent and floor alike; ffmpeg decoder: {(r.Model.DecoderThreads > 0 ? r.Model.DecoderThreads.ToString(CultureInfo.InvariantCulture) : "the agent's default (DecoderThreads)")} |");
        Line($"| build | agent {r.Build.AgentVersion}, ONNX Runtime {r.Build.OnnxRuntime}, commit {r.Build.Commit}{(r.Build.Dirty ? " (with uncommitted changes)" : "")}, `{r.Build.AgentAssembly}` |");
        Line();
        Line("## Targets");
        Line();
        Line("| target | limit | this run | verdict | why |");
        Line("|---|---|---|---|---|");
        foreach (var t in r.Targets)
        {
            Line($"| {t.Target} | {t.Limit} | {t.Value} | **{t.Verdict}** | {t.Why} |");
        }

        Line();
        Line("## Throughput (Deterministic, flat out)");
        Line();
        Line($"Frames per second over all cameras, timed by the subscriber from each camera's tracks message {CaseAnalysis.ThroughputWarmupFrames + 1} (the prompted frame");
        Line($"and {CaseAnalysis.ThroughputWarmupFrames - 1} warm-up frames left out, as the floor leaves them out) to the last; frames counts every message. The floor is");
        Line("`edgesam2 models bench` at the same object count, run before and after each of the agent's runs; agent/floor = floor ms ÷ agent ms.");
        Line("Object-count cases run several times, interleaved with the floor: their figures are the medians over the runs (the tables");
        Line("below show the median run), and the spread of every ratio is under Reproducibility.");
        Line();
        Line("| case | video | objects | cameras | frames | frames/s | ms/frame | floor ms/frame | agent/floor | cost vs 1 object |");
        Line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var t in r.Throughput)
        {
            Line($"| {t.Case} | {t.Codec} | {t.Objects} | {t.Cameras} | {t.Frames} | {F(t.FramesPerSecond, "0.0")} | {F(t.MsPerFrame)} | {F(t.FloorMsPerFrame)} | {F(t.AgentOverFloor)} | {F(t.CostVsOneObject)} |");
        }

        Line();
        Line("## Reproducibility");
        Line();
        if (r.Reproducibility.Count == 0 || r.Reproducibility.All(x => x.Runs.Count < 2))
        {
            Line("n/a: each case ran once (--repeats 1), so no two runs can be compared.");
        }
        else
        {
            var agree = r.Reproducibility.All(x => x.WithinTenPercent);
            Line($"Each ratio in every run of its case; spread = (max − min) ÷ median. Two runs agree within 10 % on every ratio: **{(agree ? "yes" : "no")}**.");
            Line();
            Line("| ratio | objects | runs | median | min | max | spread | within 10 % |");
            Line("|---|---:|---|---:|---:|---:|---:|---|");
            foreach (var x in r.Reproducibility)
            {
                Line($"| {x.Ratio} | {x.Objects} | {string.Join(", ", x.Runs.Select(v => F(v, "0.###")))} | {F(x.Median, "0.###")} | {F(x.Min, "0.###")} | {F(x.Max, "0.###")} | {F(x.SpreadPct, "0.#")} % | {(x.WithinTenPercent ? "yes" : "**no**")} |");
            }

            var speed = Reproducibility.FloorSpeed(r.Floor);
            if (speed.Count > 0)
            {
                Line();
                Line($"The box's own speed over the bench: the floor alone (the same graphs on the same input) varied between its runs by {string.Join(", ", speed.Select(s => $"{F(s.SpreadPct, "0.#")} % at {s.Objects} object{(s.Objects == 1 ? "" : "s")}"))} ((max − min) ÷ median).");
                Line("Where that exceeds 10 %, the machine itself moved more than the ratios are asked to agree within.");
            }
        }

        if (r.Comparison is { } c)
        {
            Line();
            Line("### Against the earlier run");
            Line();
            Line($"The ratios of this run (its medians) against those of `{c.EarlierReport}` ({c.EarlierKind}, {c.EarlierStartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC,");
            Line($"commit {c.EarlierCommit}, model set {c.EarlierModel}); difference = (max − min) ÷ mean. The two runs agree within 10 % on every ratio: **{(c.Agrees ? "yes" : "no")}**.");
            Line();
            if (c.Ratios.Count == 0)
            {
                Line("n/a: the two runs measured no ratio in common (no object count both ran).");
            }
            else
            {
                Line("| ratio | objects | earlier | this run | difference | within 10 % |");
                Line("|---|---:|---:|---:|---:|---|");
                foreach (var x in c.Ratios)
                {
                    Line($"| {x.Ratio} | {x.Objects} | {F(x.Earlier, "0.###")} | {F(x.Now, "0.###")} | {F(x.DifferencePct, "0.#")} % | {(x.WithinTenPercent ? "yes" : "**no**")} |");
                }
            }
        }

        Line();
        Line("## End-to-end latency");
        Line();
        Line("Live: the bench is the camera. It sends the scene's H.264 over TCP on loopback, one access unit each frame period, as a");
        Line("camera sends each frame once encoded: as a raw byte stream, and over RTSP (RTP interleaved on the connection, the");
        Line("unit's end marked in its last packet), read by the agent with ffmpeg and with GStreamer. Each frame is timed from the");
        Line("moment its unit was sent to the subscriber's receipt of its tracks (one process, one clock): probing, parsing and");
        Line("decoding, the agent and MQTT are all in it. The stream's first second is left out (ffmpeg probes half a second of it");
        Line("before the first frame comes out). Outside the");
        Line("agent = that latency − the agent's own `latency_ms` (its `capture_time` → handed to the MQTT client), frame by frame.");
        Line("`capture_time` follows the stream's timestamps, anchored at the first frame's hand-off by the decoder: decoder jitter");
        Line("after that counts inside the agent, and where the camera's sends lag its own timestamps the part outside dips below 0.");
        Line("Deterministic: `capture_time` is the file's start + presentation time, not a capture, so only the agent's own `latency_ms` is reported there.");
        Line();
        Line("| case | mode | objects | measure | frames | p50 ms | p95 ms | p99 ms | max ms | in-agent p50 / p99 ms | outside the agent p50 / p99 ms |");
        Line("|---|---|---:|---|---:|---:|---:|---:|---:|---|---|");
        foreach (var l in r.Latency)
        {
            var s = l.Latency;
            var outside = l.OutsideAgent is { } o ? $"{F(o.P50)} / {F(o.P99)}" : "n/a";
            Line($"| {l.Case} | {l.Mode} | {l.Objects} | {l.Measure.Replace('_', ' ')} | {s.Count} | {F(s.P50)} | {F(s.P95)} | {F(s.P99)} | {F(s.Max)} | {F(l.InAgent.P50)} / {F(l.InAgent.P99)} | {outside} |");
        }

        Line();
        Line("## Frames dropped (Live, newest frame wins)");
        Line();
        Line("| case | objects | input frames/s | decoded | published | dropped by the agent |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (var d in r.Drops)
        {
            Line($"| {d.Case} | {d.Objects} | {F(d.InputFps, "0.#")} | {d.FramesDecoded} | {d.FramesPublished} | {d.DroppedByAgent} |");
        }

        Line();
        Line("## Where a frame's time goes");
        Line();
        Line("Per frame, one camera, Deterministic. Decode = the decoder process's CPU time (/proc); agent CPU = the agent process's");
        Line("CPU time, all threads; graphs = wall time of each graph's calls, binding and ORT run (a call split across object");
        Line("threads from its start to its last share's end; the agent's stats, from its first stats message after the 6");
        Line("warm-up frames to its last, as the floor leaves the warm-up out); host = wall time per frame − graph time,");
        Line("everything outside a graph call (preparation, hand-off, tracker host work, post-processing, publish, waiting).");
        Line();
        Line($"| case | objects | wall ms | decode CPU ms | agent CPU ms | {string.Join(" | ", GraphOrder)} | ORT ms | host ms | host share |");
        Line($"|---|---:|---:|---:|---:|{string.Concat(Enumerable.Repeat("---:|", GraphOrder.Length))}---:|---:|---:|");
        foreach (var s in r.Stages)
        {
            var graphs = string.Join(" | ", GraphOrder.Select(g => F(s.GraphMs.TryGetValue(g, out var v) ? v : null)));
            Line($"| {s.Case} | {s.Objects} | {F(s.WallMs)} | {F(s.DecodeCpuMs)} | {F(s.AgentCpuMs)} | {graphs} | {F(s.OrtMs)} | {F(s.HostMs)} | {Pct(s.HostShare)} |");
        }

        Line();
        Line("The agent's own per-stage means (`stages_ms` in `{base}/stats`, the intervals after that first message; n/a where an agent does not publish them):");
        Line();
        Line($"| case | {string.Join(" | ", StageOrder)} |");
        Line($"|---|{string.Concat(Enumerable.Repeat("---:|", StageOrder.Length))}");
        foreach (var s in r.Stages)
        {
            Line($"| {s.Case} | {string.Join(" | ", StageOrder.Select(k => F(s.StagesMs is { } m && m.TryGetValue(k, out var v) ? v : null)))} |");
        }

        Line();
        Line("## The floor");
        Line();
        Line("`edgesam2 models bench --json --agent-tracker --scene`: the four graphs back to back through the agent's tracker on the");
        Line("agent's own scene file (decoded as the agent decodes it, the same click per object on frame 0, so the same graph calls");
        Line("and shapes frame by frame), same model set, providers and tracker options, timed inside the graph calls only over the");
        Line("scene's frames after the prompt frame and 5 warm-up frames; one run just before and one just after each of the agent's runs at that object count.");
        Line();
        Line("CPU ms/frame is the floor's process CPU time per timed frame, every thread (its object threads included, and its host");
        Line("work, which ms/frame leaves out): the CPU the floor had to itself, and the agent shares with its decoder.");
        Line();
        Line($"| objects | runs ms/frame | mean ms/frame | CPU ms/frame | {string.Join(" | ", GraphOrder)} |");
        Line($"|---:|---|---:|---:|{string.Concat(Enumerable.Repeat("---:|", GraphOrder.Length))}");
        foreach (var f in r.Floor)
        {
            Line($"| {f.Objects} | {string.Join(", ", f.RunsMs.Select(v => F(v)))} | {F(f.MeanMs)} | {F(f.CpuMs)} | {string.Join(" | ", GraphOrder.Select(g => F(f.GraphMs.TryGetValue(g, out var v) ? v : null)))} |");
        }

        Line();
        Line("## Memory over time");
        Line();
        if (r.Memory is { } m)
        {
            Line($"Run `{m.Case}`: {m.Frames} frames in {F(m.Seconds, "0.#")} s. Slopes after the first {m.WarmupFrames} frames (warm-up), least squares:");
            Line($"RSS {F(m.RssSlopeMiBPer10kFrames)} MiB per 10,000 frames ({F(m.RssAfterWarmupMiB)} → {F(m.RssEndMiB)} MiB), managed heap {F(m.ManagedSlopeMiBPer10kFrames)} MiB per 10,000 frames.");
            Line(m.GpuSlopeMiBPer10kFrames is { } gpu
                ? $"Device memory (NVML, every process on the box's NVIDIA GPUs) {F(gpu)} MiB per 10,000 frames ({F(m.GpuAfterWarmupMiB)} → {F(m.GpuEndMiB)} MiB). Every sample is in report.json (`memory.points`)."
                : m.GpuAfterWarmupMiB is null
                    ? "Device memory: n/a (the agent reported none: no NVIDIA driver on this box). Every sample is in report.json (`memory.points`)."
                    : "Device memory: too few samples after warm-up for a slope. Every sample is in report.json (`memory.points`).");
        }
        else
        {
            Line("n/a: not measured.");
        }

        Line();
        Line("## Tracking quality (the same runs, against exact ground truth)");
        Line();
        Line("Mean IoU over every visible object-frame (a frame without the object's mask scores 0); tracked = IoU ≥ 0.5; an id switch");
        Line($"is an id whose centroid moves onto another object; a recovery is an object tracked again within {QualityScorer.RecoveryFrames} frames of");
        Line("being at least half visible again after the bar.");
        Line();
        Line("| case | video | objects | mean IoU | tracked / visible | id switches | recoveries / occlusions | events occluded / reappeared / recovered | mask problems |");
        Line("|---|---|---:|---:|---|---:|---|---|---:|");
        foreach (var q in r.Quality)
        {
            Line($"| {q.Case} | {q.Codec} | {q.Objects} | {F(q.MeanIoU, "0.000")} | {q.TrackedFrames} / {q.VisibleFrames} | {q.IdSwitches} | {q.Recoveries} / {q.Occlusions} | {q.OccludedEvents} / {q.ReappearedEvents} / {q.RecoveredEvents} | {q.MaskProblems} |");
        }

        if (r.Notes.Count > 0)
        {
            Line();
            Line("## Notes");
            Line();
            foreach (var note in r.Notes)
            {
                Line($"- {note}");
            }
        }

        return md.ToString();
    }

    /// <summary>A figure for a table cell: n/a when this run could not measure it.</summary>
    public static string F(double? value, string format = "0.##") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Pct(double? share) => share is { } s ? (s * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : "n/a";

    /// <summary>The object threads in use, and whether the bench asked for them (a call of 4 objects or more is split).</summary>
    private static string ObjectThreads(ModelInfo model)
    {
        var source = model.ObjectThreads > 0 ? $"--object-threads {model.ObjectThreads.ToString(CultureInfo.InvariantCulture)}" : "the agent's default, Model:ObjectThreads";
        return model.ObjectThreadsInUse > 1
            ? $"per-object calls of 4 objects or more split across {model.ObjectThreadsInUse.ToString(CultureInfo.InvariantCulture)} threads ({source})"
            : $"per-object calls not split ({source})";
    }
}
