using System.Text.Json;
using EdgeSam2.Agent.Options;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSam2.Agent.Tests.Options;

/// <summary>
/// config/cpu.json, x86-gpu.json and jetson.json layered over config/edgesam2.json by <c>--overlay</c> (or
/// <c>EDGESAM2_OVERLAY</c>): each passes the agent's own options validation and its values win over the base file's.
/// </summary>
public sealed class PlatformOverlayTests : IDisposable
{
    private static readonly string ConfigDirectory = Path.Combine(RepoPaths.Root, "config");
    private static readonly string SamplePath = Path.Combine(ConfigDirectory, "edgesam2.json");
    private DirectoryInfo? _standInDirectory;

    public void Dispose() => _standInDirectory?.Delete(recursive: true);

    [Theory]
    [InlineData("cpu.json")]
    [InlineData("x86-gpu.json")]
    [InlineData("jetson.json")]
    public void Build_SampleConfigWithOverlay_ValidAndTheOverlayWins(string overlay)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(ConfigDirectory, overlay)));
        var model = file.RootElement.GetProperty(AgentOptions.SectionName).GetProperty("Model");
        string[] args = ["--config", SamplePath, "--overlay", overlay];

        // A system ONNX Runtime named by an absolute path (Jetson's) is only on the box it is meant for: validation
        // finds nothing else wrong, and with the path pointing at a file that exists the overlay loads.
        var ortLibrary = model.GetProperty("OrtLibrary").GetString()!;
        if (ortLibrary.Length > 0)
        {
            var e = Assert.Throws<AgentConfigurationException>(() => AgentHost.Build(args));
            Assert.Contains($"Model:OrtLibrary: the ONNX Runtime library '{ortLibrary}' does not exist.", e.Message, StringComparison.Ordinal);
            Assert.Single(e.Errors);
            _standInDirectory = Directory.CreateTempSubdirectory("edgesam2-ort-");
            var standIn = Path.Combine(_standInDirectory.FullName, "libonnxruntime.so.1");
            File.WriteAllBytes(standIn, [0]);
            args = [.. args, $"--EdgeSam2:Model:OrtLibrary={standIn}"];
        }

        using var host = AgentHost.Build(args);
        var options = host.Services.GetRequiredService<AgentOptions>();
        Assert.Equal(model.GetProperty("Providers").EnumerateArray().Select(p => p.GetString()), options.Model.Providers.Select(p => p.ToString()));
        Assert.Equal(model.GetProperty("IntraOpThreads").GetInt32(), options.Model.IntraOpThreads);
        Assert.Equal(file.RootElement.GetProperty(AgentOptions.SectionName).GetProperty("Tracking").GetProperty("MaxObjects").GetInt32(), options.Tracking.MaxObjects);

        // Everything the overlay does not name comes from the base file.
        Assert.Equal("cam1", Assert.Single(options.Cameras).Id);
    }

    [Fact]
    public void Build_MissingOverlay_ConfigErrorNamingIt()
    {
        var e = Assert.Throws<AgentConfigurationException>(() => AgentHost.Build(["--config", SamplePath, "--overlay", "no-such-platform.json"]));
        Assert.Contains("the overlay 'no-such-platform.json' does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_OverlayFromEnvironmentMissing_Exits2NamingIt()
    {
        await using var agent = ChildAgent.Start(SamplePath, new Dictionary<string, string> { ["EDGESAM2_OVERLAY"] = "no-such-platform.json" });

        Assert.Equal(ExitCodes.ConfigInvalid, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("the overlay 'no-such-platform.json' does not exist", agent.Output, StringComparison.Ordinal);
    }
}
