namespace EdgeSam2.Bench;

/// <summary>The options with every path resolved against the repository root.</summary>
internal sealed record BenchSettings(string RepoRoot, string OutputDirectory, string AgentAssembly, string ModelManifest, string OrtLibrary, IReadOnlyList<string> Providers, BenchPlan Plan, Agent.BenchThreads Threads)
{
    public static BenchSettings From(BenchOptions options, string repoRoot)
    {
        string Resolve(string path) => Path.GetFullPath(path, repoRoot);
        var providers = options.Providers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new BenchSettings(
            repoRoot,
            Resolve(options.OutputDirectory),
            Resolve(options.AgentAssembly),
            Resolve(options.ModelManifest),
            options.OrtLibrary.Length == 0 ? "" : Resolve(options.OrtLibrary),
            providers,
            PlanFor(options),
            new Agent.BenchThreads(options.IntraOpThreads, options.ObjectThreads, options.DecoderThreads));
    }

    private static BenchPlan PlanFor(BenchOptions options)
    {
        var plan = options.Short ? BenchPlan.Quick : BenchPlan.Full;
        if (options.Objects is { } objects)
        {
            // The 1-object case is what the others' cost is set against, and the cameras' and Live cases' floor.
            plan = plan with { ObjectCounts = objects.Contains(1) ? [.. objects.Distinct().Order()] : [1, .. objects.Distinct().Order()] };
        }

        if (options.Frames > 0)
        {
            plan = plan with { DeterministicFrames = options.Frames, FloorFrames = options.Frames - 6 };
        }

        if (options.Repeats > 0)
        {
            plan = plan with { Repeats = options.Repeats };
        }

        if (options.LiveOnly)
        {
            return plan with { LiveOnly = true, ObjectCounts = [1], Repeats = 1, MemorySeconds = options.MemorySeconds };
        }

        if (options.MemorySeconds > 0)
        {
            plan = plan with { MemorySeconds = options.MemorySeconds };
        }

        return options.ThroughputOnly ? plan with { ThroughputOnly = true } : plan;
    }
}
