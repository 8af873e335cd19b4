namespace EdgeSam2.Benchmarks.Tracker;

/// <summary>A tracker workload: how many objects, and whether their graph calls are batched or split per object.</summary>
public sealed record TrackerCase(int Objects, bool Batched)
{
    /// <summary>The cases every tracker benchmark and the profile run (one object is the same either way).</summary>
    public static IReadOnlyList<TrackerCase> All { get; } =
    [
        new(1, true),
        new(2, true),
        new(2, false),
        new(4, true),
        new(4, false),
    ];

    public override string ToString() => $"{Objects} obj {(Batched ? "batched" : "per-object")}";
}
