namespace EdgeSam2.Bench;

/// <summary>
/// What one bench run measures and for how long. <see cref="Full"/> is the report in the README (a few minutes on a
/// 2-core box); <see cref="Quick"/> is the seconds-long version CI runs so the command never rots.
/// </summary>
internal sealed record BenchPlan
{
    /// <summary><c>full</c> or <c>short</c>, as the report's header names it.</summary>
    public required string Kind { get; init; }

    /// <summary>Object counts for throughput (Deterministic, H.264, one camera); the first is also the 1-camera case.</summary>
    public required int[] ObjectCounts { get; init; }

    /// <summary>Camera counts for throughput (Deterministic, H.264, one object each).</summary>
    public required int[] CameraCounts { get; init; }

    /// <summary>Frames in each Deterministic scene.</summary>
    public required int DeterministicFrames { get; init; }

    /// <summary>The scenes' frame rate: the input rate of the Live runs.</summary>
    public required double FramesPerSecond { get; init; }

    /// <summary>Length of the Live latency run (one object, at the scene's rate).</summary>
    public required double LiveSeconds { get; init; }

    /// <summary>Objects in a second Live run at the same rate that shows frames dropped when the agent cannot keep up; 0: none.</summary>
    public required int LiveDropObjects { get; init; }

    /// <summary>Length of the memory run (Live, looping, one object); 0: memory is sampled over the Live latency run instead.</summary>
    public required double MemorySeconds { get; init; }

    /// <summary>The memory run's input rate: above what the agent does, so it works flat out for the whole run.</summary>
    public required double MemoryFramesPerSecond { get; init; }

    /// <summary>
    /// Frames the floor loop times per object count: the scene's frames after the prompt frame and its 5 warm-up frames,
    /// so it tracks the whole scene the agent tracks (the occlusion included).
    /// </summary>
    public required int FloorFrames { get; init; }

    /// <summary>
    /// Agent runs per object count, the counts taking turns repeat by repeat. Every agent run sits between two floor runs
    /// of its count, so load that changes hits both alike; the report gives each ratio's median and spread.
    /// </summary>
    public required int Repeats { get; init; }

    /// <summary>Only the object-count cases against the floor (a focused rerun): no FFV1, cameras, Live or memory runs.</summary>
    public bool ThroughputOnly { get; init; }

    /// <summary>
    /// Only the Live latency runs (a focused rerun), after one 1-object run against the floor that sets their limit:
    /// no other object counts, FFV1, cameras or memory run.
    /// </summary>
    public bool LiveOnly { get; init; }

    public static BenchPlan Full { get; } = new()
    {
        Kind = "full",
        ObjectCounts = [1, 2, 4, 8, 16],
        CameraCounts = [1, 2, 4],
        // 1200: a 1-object run lasts about 6 s. At 600 (3 s) one hiccup of this box moved a run's agent/floor by a fifth
        // (0.68 against 0.84 and 0.86 in the same bench); focused reruns of 2000 frames kept it within 9 %.
        DeterministicFrames = 1200,
        FramesPerSecond = 25,
        LiveSeconds = 12,
        LiveDropObjects = 8,
        // 300 s: the agent's RSS still grows for about 90 s (9,000 frames) as its heaps reach their working size, and the
        // slope leaves out only the first quarter; over 60 s it read 23 MiB per 10,000 frames, over 300 s 0.18.
        MemorySeconds = 300,
        MemoryFramesPerSecond = 100,
        FloorFrames = 1200 - 6,
        Repeats = 3,
    };

    public static BenchPlan Quick { get; } = new()
    {
        Kind = "short",
        ObjectCounts = [1, 2],
        CameraCounts = [1, 2],
        DeterministicFrames = 30,
        FramesPerSecond = 25,
        // 150 frames in real time: the test of the short bench runs beside the other test assemblies, and a 3 s run once
        // left 10 or fewer arrivals after the 10 warm-up frames on a loaded 2-core box (the agent drops to the newest frame).
        LiveSeconds = 6,
        LiveDropObjects = 0,
        MemorySeconds = 0,
        MemoryFramesPerSecond = 25,
        FloorFrames = 30 - 6,
        Repeats = 1,
    };
}
