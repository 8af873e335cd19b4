using System.Diagnostics;
using System.Globalization;

namespace EdgeSam2.Bench.Report;

/// <summary>What the report's header says about the machine and the build, read from /proc, /etc/os-release and git.</summary>
internal static class MachineProbe
{
    public static MachineInfo Machine(string loadAtStart) => new(
        FirstValue("/proc/cpuinfo", "model name") ?? "unknown CPU",
        Environment.ProcessorCount,
        Math.Round(MemTotalKiB() / (1024.0 * 1024.0), 1),
        (FirstValue("/etc/os-release", "PRETTY_NAME", '=') ?? Environment.OSVersion.VersionString).Trim('"'),
        ReadOr("/proc/version", "").Split(' ', 4) is [_, _, var release, ..] ? release : Environment.OSVersion.Version.ToString(),
        loadAtStart,
        LoadAverage());

    /// <summary>The 1, 5 and 15 minute load averages: on a shared box they say how much the figures are worth.</summary>
    public static string LoadAverage() => string.Join(' ', ReadOr("/proc/loadavg", "?").Split(' ').Take(3));

    public static (string Commit, bool Dirty) GitState(string repoRoot)
    {
        var commit = Git(repoRoot, "rev-parse", "--short=12", "HEAD")?.Trim();
        var status = Git(repoRoot, "status", "--porcelain", "--untracked-files=no");
        return (string.IsNullOrEmpty(commit) ? "unknown" : commit, !string.IsNullOrWhiteSpace(status));
    }

    private static string? Git(string repoRoot, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = repoRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git: the header says "unknown"
        }
    }

    private static long MemTotalKiB()
    {
        var text = FirstValue("/proc/meminfo", "MemTotal");
        return text is not null && long.TryParse(text.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture, out var kib) ? kib : 0;
    }

    private static string? FirstValue(string path, string key, char separator = ':')
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && line[..at].Trim() == key)
            {
                return line[(at + 1)..].Trim();
            }
        }

        return null;
    }

    private static string ReadOr(string path, string fallback) => File.Exists(path) ? File.ReadAllText(path).Trim() : fallback;
}
