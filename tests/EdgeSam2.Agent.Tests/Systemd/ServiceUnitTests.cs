using System.Diagnostics;
using EdgeSam2.Agent.Options;
using EdgeSam2.Testing;
using Microsoft.Extensions.Configuration;

namespace EdgeSam2.Agent.Tests.Systemd;

/// <summary>systemd/edgesam2.service as installed by systemd/install.sh: systemd accepts it, and what it runs is in place.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServiceUnitTests(InstalledTree tree) : IClassFixture<InstalledTree>
{
    [Fact]
    public async Task Verify_InstalledUnit_SystemdAnalyzePrintsNothing()
    {
        // systemd-analyze exits 0 on warnings too: any output at all is a failure.
        var (code, output) = await InstalledTree.RunAsync(new ProcessStartInfo("systemd-analyze", ["verify", tree.UnitPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        });
        Assert.True(code == 0 && output.Length == 0, $"systemd-analyze verify exited {code}:\n{output}");
    }

    [Fact]
    public void Unit_Repository_KeepsTheServiceContract()
    {
        var unit = File.ReadAllLines(Path.Combine(RepoPaths.Root, "systemd", "edgesam2.service"));
        foreach (var line in new[]
        {
            "Type=notify", "Restart=on-failure", "RestartPreventExitStatus=2 3", "User=edgesam2", "NoNewPrivileges=yes",
            "ProtectSystem=strict", "PrivateTmp=yes", "StateDirectory=edgesam2", "CacheDirectory=edgesam2",
            "DevicePolicy=closed", "DeviceAllow=char-video4linux rw", "DeviceAllow=char-nvidia* rw",
            "EnvironmentFile=-/etc/edgesam2/edgesam2.env",
        })
        {
            Assert.Contains(line, unit);
        }

        Assert.Contains(unit, l => l.StartsWith("WatchdogSec=", StringComparison.Ordinal));
    }

    [Fact]
    public void Install_TempPrefix_UnitRunsTheInstalledAgentWithTheInstalledConfig()
    {
        var execStart = File.ReadAllLines(tree.UnitPath).Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        var agent = Path.Combine(tree.Prefix, "agent", "EdgeSam2.Agent");
        Assert.Equal($"ExecStart={agent} --config {tree.ConfigPath}", execStart);
        Assert.True(File.GetUnixFileMode(agent).HasFlag(UnixFileMode.UserExecute));
        Assert.Contains($"EnvironmentFile=-{Path.Combine(tree.SysConfDir, "edgesam2.env")}", File.ReadAllLines(tree.UnitPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(tree.SysConfDir, "edgesam2.env")));
        Assert.Contains("u edgesam2 ", File.ReadAllText(tree.SysUsersPath), StringComparison.Ordinal);
    }

    [Fact]
    public void Install_TempPrefix_ConfigLoadsAndNamesTheInstalledModelsAndThePackagedOrt()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(tree.ConfigPath).Build();
        var errors = new List<string>();
        var options = AgentConfiguration.TryLoad(configuration, new PathResolver(tree.SysConfDir), errors);
        Assert.Empty(errors);
        Assert.Equal(Path.Combine(tree.Prefix, "models", "test", "manifest.json"), options.Model.Manifest);
        Assert.True(File.Exists(options.Model.Manifest));
        // No system ORT given: the agent uses the library of its NuGet package, published beside it.
        Assert.Equal("", options.Model.OrtLibrary);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(tree.Prefix, "agent"), "libonnxruntime.so", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Install_Again_KeepsTheEditedConfigAndEnvironment()
    {
        var env = Path.Combine(tree.SysConfDir, "edgesam2.env");
        var edited = File.ReadAllText(tree.ConfigPath).Replace("\"edge-1\"", "\"site-7\"", StringComparison.Ordinal);
        File.WriteAllText(tree.ConfigPath, edited);
        File.AppendAllText(env, "EDGESAM2_EdgeSam2__Mqtt__Password=secret\n");

        var output = await tree.InstallAsync();

        Assert.Contains("edgesam2.json exists: kept", output, StringComparison.Ordinal);
        Assert.Equal(edited, File.ReadAllText(tree.ConfigPath));
        Assert.EndsWith("Password=secret\n", File.ReadAllText(env), StringComparison.Ordinal);
    }
}
