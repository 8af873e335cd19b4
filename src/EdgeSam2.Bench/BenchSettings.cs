namespace EdgeSam2.Bench;

/// <summary>The options with every path resolved against the repository root.</summary>
internal sealed record BenchSettings(string RepoRoot, string OutputDirectory, string AgentAssembly, string ModelManifest, string OrtLibrary, IReadOnlyList<string> Providers, BenchPlan Plan)
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
            options.Short ? BenchPlan.Quick : BenchPlan.Full);
    }
}
