namespace EdgeSam2.Benchmarks.Support;

/// <summary>The folder that holds EdgeSam2.sln, found by walking up from the binaries.</summary>
internal static class RepoRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string TestManifest => System.IO.Path.Combine(Path, "models", "test", "manifest.json");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "EdgeSam2.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"EdgeSam2.sln not found above {AppContext.BaseDirectory}");
    }
}
