using System.Globalization;

namespace EdgeSam2.Bench.Report;

/// <summary>
/// The issue's CPU targets, each checked against this run's figures. A missed target says why, from the figures that
/// explain it (host work, decoder CPU, the machine's load); one this run did not measure says so.
/// </summary>
internal static class TargetCheck
{
    /// <summary>Below this many frames a memory slope is mostly warm-up noise, and the target is not judged.</summary>
    public const int MinMemoryFrames = 2000;

    public static List<TargetResult> Evaluate(
        IReadOnlyList<ThroughputRow> throughput, IReadOnlyList<StageRow> stages, IReadOnlyList<LatencyRow> latency, IReadOnlyList<FloorRow> floor,
        MemoryResult? memory, MachineInfo machine)
    {
        var load = $"load average {machine.LoadAverageAtStart} at the start, {machine.LoadAverageAtEnd} at the end on {machine.Cores} cores";
        var results = new List<TargetResult>();
        foreach (var objects in (ReadOnlySpan<int>)[1, 4])
        {
            var row = Find(throughput, objects, 1, "H.264");
            var stage = FindStage(stages, objects);
            results.Add(row?.AgentOverFloor is { } ratio
                ? Check($"agent ≥ 0.9 of the floor at {objects} object{(objects == 1 ? "" : "s")}", "≥ 0.90", F(ratio), ratio >= 0.9,
                    $"the agent takes {F(row.MsPerFrame)} ms a frame against the floor's {F(row.FloorMsPerFrame)} ms: {Why(stage)}{CpuBound(stage, floor.FirstOrDefault(f => f.Objects == objects), machine.Cores)}; {load}")
                : NotMeasured($"agent ≥ 0.9 of the floor at {objects} objects", "≥ 0.90"));
        }

        var one = FindStage(stages, 1);
        results.Add(one?.HostMs is { } host
            ? Check("host overhead ≤ 3 ms a frame at 1 object", "≤ 3 ms", F(host) + " ms", host <= 3,
                $"outside graph calls the agent spends {F(host)} ms of its {F(one.WallMs)} ms a frame ({Pct(one.HostShare)}): {Why(one)}; {load}")
            : NotMeasured("host overhead ≤ 3 ms a frame at 1 object", "≤ 3 ms"));

        // One check for each way the camera's frames reach the agent (LivePath): the target is the agent's, the path the site's choice.
        var floorOne = floor.FirstOrDefault(f => f.Objects == 1);
        var lives = latency.Where(l => l.Measure == "sent_to_receipt" && l.Objects == 1).ToList();
        foreach (var live in lives)
        {
            var name = $"Live p99 ≤ frame period + floor + 10 ms ({live.Path})";
            if (live.Latency.P99 is { } p99 && live.InputFps is { } fps && floorOne is not null)
            {
                var limit = (1000 / fps) + floorOne.MeanMs + 10;
                results.Add(Check(name, $"≤ {F(limit)} ms", F(p99) + " ms", p99 <= limit,
                    $"p50 {F(live.Latency.P50)} ms, p99 {F(p99)} ms, max {F(live.Latency.Max)} ms from the bench's camera sending a frame to the subscriber's receipt; in the agent p50 {F(live.InAgent.P50)} / p99 {F(live.InAgent.P99)} ms; outside it (the decoder before it, MQTT after) p50 {F(live.OutsideAgent?.P50)} / p99 {F(live.OutsideAgent?.P99)} ms{Periods(live.OutsideAgent?.P50, fps)}; {load}"));
            }
            else
            {
                results.Add(NotMeasured(name, "frame period + floor + 10 ms"));
            }
        }

        if (lives.Count == 0)
        {
            results.Add(NotMeasured("Live p99 ≤ frame period + floor + 10 ms", "frame period + floor + 10 ms"));
        }

        var (r1, r8) = (Find(throughput, 1, 1, "H.264"), Find(throughput, 8, 1, "H.264"));
        // The throughput row's cost: with repeats, the floor's scaling times agent/floor at one object over that at eight.
        results.Add(r1?.MsPerFrame is { } c1 && r8?.MsPerFrame is { } c8 && (r8.CostVsOneObject ?? c8 / c1) is var cost
            ? Check("8 objects ≤ 3× the cost of one", "≤ 3.0×", F(cost) + "×", cost <= 3,
                $"{F(c8)} ms a frame at 8 objects against {F(c1)} at one (medians over the runs, minutes apart); with the box's speed taken out, {F(cost)}×: the floor scales {FloorScale(floor)} (the graphs run per object batch, the image encoder once), times agent/floor at one object ({F(r1.AgentOverFloor)}) over agent/floor at eight ({F(r8.AgentOverFloor)})")
            : NotMeasured("8 objects ≤ 3× the cost of one", "≤ 3.0×"));

        results.Add(memory?.RssSlopeMiBPer10kFrames is { } slope && memory.Frames >= MinMemoryFrames
            ? Check("RSS slope after warm-up < 5 MB per 10,000 frames", "< 5 MB", F(slope) + " MiB", slope < 5,
                $"over {memory.Frames} frames in {F(memory.Seconds)} s; RSS {F(memory.RssAfterWarmupMiB)} → {F(memory.RssEndMiB)} MiB after warm-up; managed heap slope {F(memory.ManagedSlopeMiBPer10kFrames)} MiB per 10,000 frames"
                + (memory.Frames < 10_000 ? " (a run shorter than 10,000 frames: the slope is extrapolated)" : ""))
            : NotMeasured("RSS slope after warm-up < 5 MB per 10,000 frames", "< 5 MB",
                memory is null ? null : $"{memory.Frames} frames are too few for a slope (at least {MinMemoryFrames}): the memory run is the full bench's"));
        return results;
    }

    private static string FloorScale(IReadOnlyList<FloorRow> floor)
    {
        var (one, eight) = (floor.FirstOrDefault(f => f.Objects == 1), floor.FirstOrDefault(f => f.Objects == 8));
        return one is null || eight is null ? "(not measured)" : $"{F(eight.MeanMs / one.MeanMs)}× from 1 to 8 objects ({F(one.MeanMs)} → {F(eight.MeanMs)} ms)";
    }

    private static string Why(StageRow? stage) => stage is null
        ? "no stage figures"
        : $"ORT runs {F(stage.OrtMs)} ms, host work {F(stage.HostMs)} ms ({Pct(stage.HostShare)}); the agent process used {F(stage.AgentCpuMs)} ms of CPU a frame in all, "
          + $"ORT's threads included ({(stage.AgentCpuMs > stage.WallMs ? "more than its wall time: its other threads ran beside the tracking thread" : "less than its wall time: it waited for a core")}), "
          + $"and the decoder {F(stage.DecodeCpuMs)} ms on the same cores";

    /// <summary>
    /// What the CPU allows: the agent's process and its decoder together used so much CPU a frame that on this many
    /// cores no schedule runs a frame faster than their sum over the cores, whatever the graphs' own speed; set against
    /// the floor, whose process had the cores to itself.
    /// </summary>
    internal static string CpuBound(StageRow? stage, FloorRow? floor, int cores)
    {
        if (stage?.AgentCpuMs is not { } agent || stage.DecodeCpuMs is not { } decode || floor?.CpuMs is not { } floorCpu || cores < 1 || floor.MeanMs <= 0)
        {
            return "";
        }

        var bound = (agent + decode) / cores;
        return $"; the floor's process used {F(floorCpu)} ms of CPU a frame with the cores to itself, "
            + $"the agent's process and its decoder {F(agent + decode)} ms: on {cores} core{(cores == 1 ? "" : "s")} no frame takes less than {F(bound)} ms with that CPU, "
            + (bound > floor.MeanMs ? $"at best {F(floor.MeanMs / bound)} of the floor" : "below the floor's time, so the CPU alone does not bind");
    }

    private static ThroughputRow? Find(IReadOnlyList<ThroughputRow> rows, int objects, int cameras, string codec) =>
        rows.FirstOrDefault(r => r.Objects == objects && r.Cameras == cameras && r.Codec == codec);

    private static StageRow? FindStage(IReadOnlyList<StageRow> rows, int objects) => rows.FirstOrDefault(r => r.Objects == objects && r.Codec == "H.264");

    /// <summary>The issue's reproducibility check: this run's ratios against an earlier run's (<c>--compare</c>).</summary>
    public static TargetResult Agreement(RunAgreement? agreement)
    {
        const string Name = "two runs agree on every ratio within 10 %";
        if (agreement is null || agreement.Ratios.Count == 0)
        {
            return NotMeasured(Name, "≤ 10 %", agreement is null
                ? "no earlier report to compare with (--compare; make bench passes the one it replaces)"
                : $"{agreement.EarlierReport} measured no object count this run did");
        }

        var worst = agreement.Ratios.MaxBy(r => r.DifferencePct)!;
        var within = agreement.Ratios.Count(r => r.WithinTenPercent);
        return Check(Name, "≤ 10 %", $"{within} of {agreement.Ratios.Count}", agreement.Agrees,
            $"this run's medians against {agreement.EarlierReport} ({agreement.EarlierKind}, {agreement.EarlierStartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, commit {agreement.EarlierCommit}): "
            + $"the largest difference {F(worst.DifferencePct)} % ({worst.Ratio} at {worst.Objects} object{(worst.Objects == 1 ? "" : "s")}: {F(worst.Earlier)} then {F(worst.Now)})");
    }

    private static TargetResult Check(string target, string limit, string value, bool met, string why) =>
        new(target, limit, value, met ? "met" : "missed", why);

    private static TargetResult NotMeasured(string target, string limit, string? why = null) =>
        new(target, limit, "n/a", "not measured", why ?? "this run (--short) does not measure it");

    private static string F(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.##", CultureInfo.InvariantCulture) : "n/a";

    private static string Pct(double? share) => share is { } s ? (s * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : "n/a";

    /// <summary>", N frame periods" for a latency, so a decoder that holds whole frames back shows as such.</summary>
    private static string Periods(double? ms, double fps) =>
        ms is { } m ? string.Create(CultureInfo.InvariantCulture, $", {m * fps / 1000:0.0} frame periods") : "";
}
