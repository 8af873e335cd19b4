namespace EdgeSam2.Agent.Options;

/// <summary>What survives a restart (see the README's operations section).</summary>
public sealed class StateOptions
{
    /// <summary>
    /// Folder for the per-camera state files. Empty uses <c>$STATE_DIRECTORY</c> (systemd's <c>StateDirectory=</c>,
    /// <c>/var/lib/edgesam2</c>); empty without it persists nothing. Default empty.
    /// </summary>
    public string Directory { get; set; } = "";

    /// <summary>The folder in use: <see cref="Directory"/>, else <c>$STATE_DIRECTORY</c>; null when nothing is persisted.</summary>
    public string? Resolve()
    {
        if (Directory.Length > 0)
        {
            return Path.GetFullPath(Directory);
        }

        // systemd may list several folders separated by ':'; ours is the first.
        return Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } fromSystemd ? fromSystemd.Split(':')[0] : null;
    }
}
