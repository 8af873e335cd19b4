namespace EdgeSam2.Bench;

/// <summary>The command line of <c>make bench</c>; paths relative to the repository root.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: EdgeSam2.Bench [--out DIR] [--agent DLL] [--model MANIFEST] [--providers LIST] [--ort-library PATH] [--short]
                              [--objects LIST] [--repeats N] [--frames N] [--throughput-only | --live-only]
                              [--intra-op-threads N] [--decoder-threads N] [--memory-seconds N] [--compare REPORT]

          --out          where report.md, report.json and the run's files go (default artifacts/bench)
          --agent        the built agent (default src/EdgeSam2.Agent/bin/Release/net10.0/EdgeSam2.Agent.dll)
          --model        the model set's manifest (default models/test/manifest.json); a real export on a GPU box
          --providers    execution providers in order of preference, for the agent and the floor alike (default Cpu)
          --ort-library  a system libonnxruntime.so (Jetson); empty: the packaged one
          --short        the seconds-long version CI runs so the command never rots (fewer, shorter cases)
          --objects      object counts of the throughput cases instead of the plan's (e.g. 1,4,8; at most 16)
          --repeats      agent runs per object count, each between two floor runs; the counts take turns repeat by repeat (default 3; --short: 1)
          --frames       frames in each Deterministic scene instead of the plan's (1200; --short: 30)
          --intra-op-threads  ORT threads per graph for the agent and the floor alike (Model:IntraOpThreads); default: the agent's
          --object-threads    threads a frame's objects are split across, agent and floor alike (Model:ObjectThreads); default: the agent's
          --decoder-threads   ffmpeg's decoding threads (the cameras' DecoderThreads); default: the agent's
          --throughput-only  only the object-count cases against the floor: no FFV1, cameras, Live or memory runs
          --live-only    only the Live latency runs (1 and 8 objects; 1 with --short), after one 1-object run against the
                         floor for their limit; not with --objects, --repeats or --throughput-only
          --memory-seconds  length of the memory run (10 to 36000; default 300, none with --short or --live-only): a longer
                         run tells growth from a garbage collector that has not yet run; with --live-only it runs after them
          --compare      an earlier run's report.json: the report sets this run's ratios against it, each within 10 % or not
                         (make bench passes the report it replaces, kept as report.previous.json)
        """;

    public string OutputDirectory { get; init; } = "artifacts/bench";

    public string AgentAssembly { get; init; } = "src/EdgeSam2.Agent/bin/Release/net10.0/EdgeSam2.Agent.dll";

    public string ModelManifest { get; init; } = "models/test/manifest.json";

    public string Providers { get; init; } = "Cpu";

    public string OrtLibrary { get; init; } = "";

    public bool Short { get; init; }

    /// <summary>Object counts instead of the plan's; null: the plan's.</summary>
    public int[]? Objects { get; init; }

    /// <summary>Agent runs per object count instead of the plan's; 0: the plan's.</summary>
    public int Repeats { get; init; }

    /// <summary>Frames per Deterministic scene instead of the plan's; 0: the plan's.</summary>
    public int Frames { get; init; }

    public bool ThroughputOnly { get; init; }

    public bool LiveOnly { get; init; }

    /// <summary>Model:IntraOpThreads for the agent and the floor; 0: the agent's default.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Model:ObjectThreads for the agent and the floor; 0: the agent's default.</summary>
    public int ObjectThreads { get; init; }

    /// <summary>The cameras' DecoderThreads; 0: the agent's default.</summary>
    public int DecoderThreads { get; init; }

    /// <summary>Length of the memory run instead of the plan's; 0: the plan's.</summary>
    public int MemorySeconds { get; init; }

    /// <summary>An earlier run's report.json to set this run's ratios against; null: none.</summary>
    public string? Compare { get; init; }

    /// <summary>Parses <paramref name="args"/>; null with <paramref name="error"/> set (usage included) when they are not valid.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--out" when value is not null: options = options with { OutputDirectory = value }; i++; break;
                case "--agent" when value is not null: options = options with { AgentAssembly = value }; i++; break;
                case "--model" when value is not null: options = options with { ModelManifest = value }; i++; break;
                case "--providers" when value is not null: options = options with { Providers = value }; i++; break;
                case "--ort-library" when value is not null: options = options with { OrtLibrary = value }; i++; break;
                case "--short": options = options with { Short = true }; break;
                case "--throughput-only": options = options with { ThroughputOnly = true }; break;
                case "--live-only": options = options with { LiveOnly = true }; break;
                case "--objects" when value is not null && TryParseCounts(value, 16, out var counts): options = options with { Objects = counts }; i++; break;
                case "--frames" when value is not null && TryParseCounts(value, 100_000, out var frames) && frames.Length == 1 && frames[0] >= 10: options = options with { Frames = frames[0] }; i++; break;
                case "--intra-op-threads" when value is not null && TryParseCounts(value, 64, out var intra) && intra.Length == 1: options = options with { IntraOpThreads = intra[0] }; i++; break;
                case "--object-threads" when value is not null && TryParseCounts(value, 64, out var lanes) && lanes.Length == 1: options = options with { ObjectThreads = lanes[0] }; i++; break;
                case "--decoder-threads" when value is not null && TryParseCounts(value, 64, out var decoder) && decoder.Length == 1: options = options with { DecoderThreads = decoder[0] }; i++; break;
                case "--repeats" when value is not null && TryParseCounts(value, 10, out var repeats) && repeats.Length == 1: options = options with { Repeats = repeats[0] }; i++; break;
                case "--memory-seconds" when value is not null && TryParseCounts(value, 36_000, out var memory) && memory.Length == 1 && memory[0] >= 10: options = options with { MemorySeconds = memory[0] }; i++; break;
                case "--compare" when value is not null: options = options with { Compare = value }; i++; break;
                case "--help" or "-h": error = Usage; return null;
                default: error = $"bench: '{args[i]}' is not a valid option here, or its value is missing\n{Usage}"; return null;
            }
        }

        if (options.LiveOnly && (options.ThroughputOnly || options.Objects is not null || options.Repeats > 0))
        {
            error = $"bench: --live-only runs one object once against the floor: not with --throughput-only, --objects or --repeats\n{Usage}";
            return null;
        }

        if (options.MemorySeconds > 0 && options.ThroughputOnly)
        {
            error = $"bench: --throughput-only runs no memory run: not with --memory-seconds\n{Usage}";
            return null;
        }

        error = "";
        return options;
    }

    private static bool TryParseCounts(string text, int max, out int[] counts)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        counts = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.CultureInfo.InvariantCulture, out counts[i]) || counts[i] < 1 || counts[i] > max)
            {
                return false;
            }
        }

        return parts.Length > 0;
    }
}
