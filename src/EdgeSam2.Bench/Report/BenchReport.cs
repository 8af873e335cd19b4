using System.Text.Json.Serialization;

namespace EdgeSam2.Bench.Report;

// The shape of artifacts/bench/report.json (snake_case on disk). Milliseconds are per frame unless named otherwise;
// a null is a figure this run could not measure (the Markdown report prints it as n/a).

internal sealed record BenchReport(
    string Kind, DateTimeOffset StartedAt, double DurationSeconds, MachineInfo Machine, BuildInfo Build, ModelInfo Model,
    IReadOnlyList<LatencyRow> Latency, IReadOnlyList<ThroughputRow> Throughput, IReadOnlyList<DropRow> Drops, IReadOnlyList<StageRow> Stages,
    IReadOnlyList<FloorRow> Floor, MemoryResult? Memory, IReadOnlyList<QualityRow> Quality,
    IReadOnlyList<RatioSpread> Reproducibility, IReadOnlyList<TargetResult> Targets, IReadOnlyList<string> Notes)
{
    /// <summary>This run's ratios against an earlier report's (<c>--compare</c>); null when none was given.</summary>
    public RunAgreement? Comparison { get; init; }
}

internal sealed record MachineInfo(string Cpu, int Cores, [property: JsonPropertyName("memory_gib")] double MemoryGiB, string Os, string Kernel, string LoadAverageAtStart, string LoadAverageAtEnd);

internal sealed record BuildInfo(string Commit, bool Dirty, string AgentVersion, [property: JsonPropertyName("onnxruntime")] string OnnxRuntime, string AgentAssembly);

// IntraOpThreads, ObjectThreads, DecoderThreads: what the bench set for the agent and the floor; 0: the agent's default.
// ObjectThreadsInUse: what the agent reported in its info (Model:ObjectThreads or its automatic choice).
internal sealed record ModelInfo(
    string Name, int InputSize, string Manifest, string ProviderPerGraph, IReadOnlyList<string> RequestedProviders,
    int IntraOpThreads, int ObjectThreads, int ObjectThreadsInUse, int DecoderThreads);

// Measure: `sent_to_receipt` (Live: the bench's camera sent the frame → the subscriber got its tracks) or `in_agent` (the message's latency_ms).
// OutsideAgent: a fed Live run's latency minus the agent's own, frame by frame (decoder before the agent, MQTT after); null otherwise.
internal sealed record LatencyRow(
    string Case, string Mode, int Objects, double? InputFps, string Measure, LatencySummary Latency, LatencySummary InAgent, int WarmupFramesSkipped,
    LatencySummary? OutsideAgent = null, string? Path = null);

internal sealed record ThroughputRow(
    string Case, string Codec, int Objects, int Cameras, int Frames, double? FramesPerSecond, double? MsPerFrame,
    double? FloorMsPerFrame, double? AgentOverFloor, double? CostVsOneObject);

internal sealed record DropRow(string Case, string Mode, int Objects, double InputFps, long FramesDecoded, long FramesPublished, long DroppedByAgent);

// DecodeCpuMs: CPU time of the decoder process(es) per frame, from /proc.
// AgentCpuMs: CPU time of the agent process per frame (all its threads, ORT's included).
// GraphMs: Per graph, wall time of its calls per frame (the agent's own stats: ORT runs; a call split across object
// threads from its start to its last share's end).
// HostMs: Agent wall time per frame minus OrtMs: everything outside a graph call.
// StagesMs: The agent's `stages_ms` (means over the run); null when the agent does not publish them.
internal sealed record StageRow(
    string Case, string Codec, int Objects, int Frames, double? WallMs, double? DecodeCpuMs, double? AgentCpuMs, IReadOnlyDictionary<string, double> GraphMs,
    double? OrtMs, double? HostMs, double? HostShare, IReadOnlyDictionary<string, double>? StagesMs);

// CpuMs: the floor's process CPU time per frame (every thread), mean over its runs; null when a run did not print it.
internal sealed record FloorRow(int Objects, IReadOnlyList<double> RunsMs, double MeanMs, IReadOnlyDictionary<string, double> GraphMs, double? CpuMs = null);

internal sealed record MemoryResult(
    string Case, double Seconds, long Frames, long WarmupFrames, [property: JsonPropertyName("rss_slope_mib_per_10k_frames")] double? RssSlopeMiBPer10kFrames, [property: JsonPropertyName("managed_slope_mib_per_10k_frames")] double? ManagedSlopeMiBPer10kFrames,
    [property: JsonPropertyName("rss_after_warmup_mib")] double? RssAfterWarmupMiB, [property: JsonPropertyName("rss_end_mib")] double? RssEndMiB, IReadOnlyList<MemoryPoint> Points)
{
    /// <summary>Device memory (the agent's <c>gpu_used_bytes</c>) after warm-up; null where the agent reports none (no NVIDIA driver).</summary>
    [JsonPropertyName("gpu_slope_mib_per_10k_frames")]
    public double? GpuSlopeMiBPer10kFrames { get; init; }

    [JsonPropertyName("gpu_after_warmup_mib")]
    public double? GpuAfterWarmupMiB { get; init; }

    [JsonPropertyName("gpu_end_mib")]
    public double? GpuEndMiB { get; init; }
}

internal sealed record MemoryPoint(double Seconds, long Frames, [property: JsonPropertyName("rss_mib")] double RssMiB, [property: JsonPropertyName("managed_mib")] double? ManagedMiB)
{
    [JsonPropertyName("gpu_mib")]
    public double? GpuMiB { get; init; }
}

internal sealed record QualityRow(
    string Case, string Codec, int Objects, [property: JsonPropertyName("mean_iou")] double MeanIoU, int TrackedFrames, int VisibleFrames, int IdSwitches, int Occlusions, int Recoveries,
    int OccludedEvents, int ReappearedEvents, int RecoveredEvents, int MaskProblems);

// Verdict: `met`, `missed` or `not measured`.
internal sealed record TargetResult(string Target, string Limit, string Value, string Verdict, string Why);

// One ratio over the repeated runs of a case: its value in each run, the median, and the spread (max − min) / median.
// WithinTenPercent: every two runs agree within 10 % (the spread is at most 10 % of the median).
internal sealed record RatioSpread(
    string Ratio, int Objects, IReadOnlyList<double> Runs, double Median, double Min, double Max,
    [property: JsonPropertyName("spread_pct")] double SpreadPct, [property: JsonPropertyName("within_10_pct")] bool WithinTenPercent);

// The earlier run a report was compared with (--compare) and each ratio in both. Agrees: every ratio both measured
// differs by at most 10 % ((max − min) ÷ mean), and there was at least one.
internal sealed record RunAgreement(
    string EarlierReport, DateTimeOffset EarlierStartedAt, string EarlierCommit, string EarlierKind, string EarlierModel,
    IReadOnlyList<RatioComparison> Ratios, bool Agrees);

internal sealed record RatioComparison(
    string Ratio, int Objects, double Earlier, double Now, [property: JsonPropertyName("difference_pct")] double DifferencePct,
    [property: JsonPropertyName("within_10_pct")] bool WithinTenPercent);
