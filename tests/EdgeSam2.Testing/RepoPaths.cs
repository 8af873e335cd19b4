namespace EdgeSam2.Testing;

/// <summary>Locates the repository and the artefacts tests need (test models, the SAM 2 reference fixture).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder that holds EdgeSam2.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The committed SAM 2-contract test model set.</summary>
    public static string TestModels => Path.Combine(Root, "models", "test");

    /// <summary>The SAM 2 micro reference fixture (graphs from SAM 2's own code and its predictor's outputs).</summary>
    public static string Sam2Micro => Path.Combine(Root, "tests", "fixtures", "sam2-micro");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeSam2.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"EdgeSam2.sln not found above {AppContext.BaseDirectory}");
    }
}
