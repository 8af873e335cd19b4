namespace EdgeSam2.Testing;

/// <summary>Locates the repository and the artefacts tests need (ORT library, test models).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder that holds EdgeSam2.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The ONNX Runtime shared library: $EDGESAM2_ORT_LIBRARY, else the one `make deps` installs.</summary>
    public static string OrtLibrary =>
        Environment.GetEnvironmentVariable("EDGESAM2_ORT_LIBRARY") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Root, ".tools", "onnxruntime", "libonnxruntime.so.1");

    /// <summary>The committed SAM 2-contract test model set.</summary>
    public static string TestModels => Path.Combine(Root, "models", "test");

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
