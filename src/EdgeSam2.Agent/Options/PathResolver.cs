namespace EdgeSam2.Agent.Options;

/// <summary>
/// Resolves relative paths in the config: the working directory first, then the config folder's parent (the
/// repository or install root, where <c>config/</c> lives), then the config folder, then the application folder.
/// </summary>
internal sealed class PathResolver(string? configDirectory)
{
    /// <summary>The places a relative path is looked for, in order.</summary>
    public IReadOnlyList<string> Roots { get; } = BuildRoots(configDirectory);

    /// <summary>The first existing file for <paramref name="path"/>; null when none exists.</summary>
    public string? Find(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : null;
        }

        foreach (var root in Roots)
        {
            var candidate = Path.GetFullPath(Path.Combine(root, path));
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static List<string> BuildRoots(string? configDirectory)
    {
        var roots = new List<string> { Directory.GetCurrentDirectory() };
        if (configDirectory is not null)
        {
            var full = Path.GetFullPath(configDirectory);
            if (Path.GetDirectoryName(full) is { } parent)
            {
                roots.Add(parent);
            }

            roots.Add(full);
        }

        roots.Add(AppContext.BaseDirectory);
        return roots;
    }
}
