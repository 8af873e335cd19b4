namespace EdgeSam2.Benchmarks.Tracker;

/// <summary>
/// A tracker workload: how many objects, whether their graph calls are batched or split per object, and whether
/// frames arrive already squashed to the model's S×S (as the agent asks ffmpeg for) or at scene size.
/// </summary>
public sealed record TrackerCase(int Objects, bool Batched, bool ModelSizedFrames = false)
{
    /// <summary>The cases every tracker benchmark and the profile run (one object is the same either way).</summary>
    public static IReadOnlyList<TrackerCase> All { get; } =
    [
        new(1, true),
        new(2, true),
        new(2, false),
        new(4, true),
        new(4, false),
        new(8, true),
        new(8, false),
        new(16, true),
        new(1, true, ModelSizedFrames: true),
    ];

    public override string ToString() => $"{Objects} obj {(Batched ? "batched" : "per-object")}{(ModelSizedFrames ? " SxS" : "")}";
}
