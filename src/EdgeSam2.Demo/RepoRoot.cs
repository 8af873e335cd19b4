namespace EdgeSam2.Demo;

/// <summary>Finds the repository (the folder holding EdgeSam2.sln) from the working directory or the demo's own location.</summary>
internal static class RepoRoot
{
    /// <summary>The repository root, or null when neither the working directory nor the demo's binary lies inside one.</summary>
    public static string? Find()
    {
        foreach (var start in (ReadOnlySpan<string>)[Environment.CurrentDirectory, AppContext.BaseDirectory])
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeSam2.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary><paramref name="path"/> made absolute against <paramref name="root"/> when relative.</summary>
    public static string Resolve(string root, string path) => Path.GetFullPath(path, root);
}
