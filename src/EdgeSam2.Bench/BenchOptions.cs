namespace EdgeSam2.Bench;

/// <summary>The command line of <c>make bench</c>; paths relative to the repository root.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: EdgeSam2.Bench [--out DIR] [--agent DLL] [--model MANIFEST] [--providers LIST] [--ort-library PATH] [--short]

          --out          where report.md, report.json and the run's files go (default artifacts/bench)
          --agent        the built agent (default src/EdgeSam2.Agent/bin/Release/net10.0/EdgeSam2.Agent.dll)
          --model        the model set's manifest (default models/test/manifest.json); a real export on a GPU box
          --providers    execution providers in order of preference, for the agent and the floor alike (default Cpu)
          --ort-library  a system libonnxruntime.so (Jetson); empty: the packaged one
          --short        the seconds-long version CI runs so the command never rots (fewer, shorter cases)
        """;

    public string OutputDirectory { get; init; } = "artifacts/bench";

    public string AgentAssembly { get; init; } = "src/EdgeSam2.Agent/bin/Release/net10.0/EdgeSam2.Agent.dll";

    public string ModelManifest { get; init; } = "models/test/manifest.json";

    public string Providers { get; init; } = "Cpu";

    public string OrtLibrary { get; init; } = "";

    public bool Short { get; init; }

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
                case "--help" or "-h": error = Usage; return null;
                default: error = $"bench: '{args[i]}' is not a valid option here, or its value is missing\n{Usage}"; return null;
            }
        }

        error = "";
        return options;
    }
}
