using System.Diagnostics;
using EdgeSam2.Testing;

namespace EdgeSam2.Agent.Tests.Systemd;

/// <summary>
/// systemd/install.sh run once into a temporary prefix (files only: no user, no daemon-reload), as a site engineer's
/// <c>make install</c> would lay it out, but every path under one temporary folder.
/// </summary>
public sealed class InstalledTree : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public string Root { get; } = Directory.CreateTempSubdirectory("edgesam2-install-").FullName;

    public string Prefix => Path.Combine(Root, "opt", "edgesam2");

    public string SysConfDir => Path.Combine(Root, "etc", "edgesam2");

    public string UnitPath => Path.Combine(Root, "unit", "edgesam2.service");

    public string SysUsersPath => Path.Combine(Root, "sysusers", "edgesam2.conf");

    public string ConfigPath => Path.Combine(SysConfDir, "edgesam2.json");

    public string Output { get; private set; } = "";

    public async Task InitializeAsync() => Output = await InstallAsync();

    /// <summary>Runs the installer into this tree; throws with its output when it fails.</summary>
    public async Task<string> InstallAsync()
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "systemd", "install.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["PREFIX"] = Prefix,
                ["SYSCONFDIR"] = SysConfDir,
                ["UNITDIR"] = Path.GetDirectoryName(UnitPath)!,
                ["SYSUSERSDIR"] = Path.GetDirectoryName(SysUsersPath)!,
                ["SYSTEM_SETUP"] = "no",
            },
        };
        var (code, output) = await RunAsync(start);
        return code == 0 ? output : throw new InvalidOperationException($"install.sh exited {code}:\n{output}");
    }

    /// <summary>Runs a command to its end; its exit code and everything it printed (stdout and stderr).</summary>
    public static async Task<(int Code, string Output)> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Timeout);
        return (process.ExitCode, await stdout + await stderr);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
